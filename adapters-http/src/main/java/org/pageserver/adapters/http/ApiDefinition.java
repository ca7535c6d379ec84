package org.pageserver.adapters.http;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * The OpenAPI document's head. micronaut-openapi writes the document at compile time to
 * {@code META-INF/swagger/pageserver-v1.yml}; every error response in it has the body {@code {"msg": string}}.
 */
@OpenAPIDefinition(info = @Info(title = "pageserver", version = "v1",
        description = "Management API and data plane of a Neon-style pageserver. Error bodies are always {\"msg\": string}."))
final class ApiDefinition {

    private ApiDefinition() {
    }
}
