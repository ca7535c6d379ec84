package org.pageserver.bootstrap.openapi;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;

/**
 * The operations of an OpenAPI document as comparable lines: {@code GET /v1/tenant/{tenant_id}}
 * for each operation and {@code GET /v1/tenant/{tenant_id} 404} for each of its status codes.
 * Paths lose their trailing slash: the server answers both forms.
 */
final class OpenApiOperations {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private OpenApiOperations() {
    }

    @SuppressWarnings("unchecked")
    static Set<String> of(String yamlText) {
        Map<String, Object> document = new Yaml().load(yamlText);
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        Set<String> lines = new TreeSet<>();
        paths.forEach((rawPath, item) -> {
            String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
            ((Map<String, Object>) item).forEach((method, operation) -> {
                if (!METHODS.contains(method)) {
                    return;
                }
                String op = method.toUpperCase() + " " + path;
                lines.add(op);
                Map<Object, Object> responses = (Map<Object, Object>) ((Map<String, Object>) operation).get("responses");
                if (responses != null) {
                    responses.keySet().forEach(code -> lines.add(op + " " + code));
                }
            });
        });
        return lines;
    }
}
