package org.pageserver.adapters.http.json;

import io.micronaut.http.HttpRequest;
import java.util.List;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * Path and query parameters, read as strings and checked here so that a bad value is a 400 in
 * Neon's words rather than Micronaut's binding message.
 */
public final class RequestParams {

    private RequestParams() {
    }

    public static TenantId tenantId(String text) {
        try {
            return TenantId.parse(text);
        } catch (IllegalArgumentException e) {
            throw PageserverException.badRequest("failed to parse tenant_id: " + e.getMessage());
        }
    }

    public static TimelineId timelineId(String text) {
        try {
            return TimelineId.parse(text);
        } catch (IllegalArgumentException e) {
            throw PageserverException.badRequest("failed to parse timeline_id: " + e.getMessage());
        }
    }

    /**
     * An optional boolean query parameter: exactly {@code true} or {@code false}, at most once.
     * Micronaut's own conversion would accept {@code yes} or {@code 1} and silently take one of
     * two repeated values.
     */
    public static boolean flag(HttpRequest<?> request, String name) {
        List<String> values = request.getParameters().getAll(name);
        if (values.isEmpty()) {
            return false;
        }
        if (values.size() > 1) {
            throw PageserverException.badRequest("param " + name + " specified more than once");
        }
        return switch (values.get(0)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw PageserverException.badRequest("cannot parse query param " + name
                    + ": expected true or false, got \"" + values.get(0) + "\"");
        };
    }
}
