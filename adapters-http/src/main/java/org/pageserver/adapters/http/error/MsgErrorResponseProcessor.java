package org.pageserver.adapters.http.error;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Replaces Micronaut's default error body (its JSON error document, or HTML for browsers) with
 * {@code {"msg": ...}} for every error Micronaut answers itself: no route, bind and conversion
 * failures, bodies too large, malformed JSON it parsed. Neon answers a wrong method like an
 * unknown path, so 405 becomes 404 {@code page not found} here.
 */
@Singleton
final class MsgErrorResponseProcessor implements ErrorResponseProcessor<JsonNode> {
    static final String PAGE_NOT_FOUND = "page not found";

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<JsonNode> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        if (status == HttpStatus.METHOD_NOT_ALLOWED) {
            response.status(HttpStatus.NOT_FOUND);
            response.getHeaders().remove("Allow");
        }
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<JsonNode>) response;
        }
        String msg;
        // Our own 404s never come here (they are PageserverExceptions): a 404 here is Micronaut's "no route".
        if (status == HttpStatus.METHOD_NOT_ALLOWED || status == HttpStatus.NOT_FOUND) {
            msg = PAGE_NOT_FOUND;
        } else if (context.hasErrors()) {
            msg = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        } else {
            msg = response.reason();
        }
        return ErrorMapper.withBody(response, msg);
    }
}
