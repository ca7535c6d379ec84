package org.pageserver.adapters.http.error;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.tree.JsonNode;
import java.util.Map;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;

/**
 * The one place that decides an error's status and {@code {"msg"}} body. The use cases' messages
 * carry no prefix; the prefixes added here are Neon's, which clients match as substrings.
 */
public final class ErrorMapper {

    private ErrorMapper() {
    }

    public static HttpStatus status(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case CONFLICT -> HttpStatus.CONFLICT;
            case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
            case PAYLOAD_TOO_LARGE -> HttpStatus.REQUEST_ENTITY_TOO_LARGE;
            // Not-yet-active tenants answer 503, never 404: a 404 could make the control plane attach them elsewhere.
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    public static String message(PageserverException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        return switch (e.kind()) {
            case NOT_FOUND -> "NotFound: " + msg;
            case CONFLICT -> "Conflict: " + msg;
            case PRECONDITION_FAILED -> "Precondition failed: " + msg;
            case UNAUTHORIZED -> "Unauthorized: " + msg;
            case FORBIDDEN -> "Forbidden: " + msg;
            default -> msg;
        };
    }

    public static MutableHttpResponse<JsonNode> toResponse(PageserverException e) {
        return respond(status(e.kind()), message(e));
    }

    /** A status with a {@code {"msg": ...}} JSON body; the only shape an error ever has. */
    public static MutableHttpResponse<JsonNode> respond(HttpStatus status, String msg) {
        return withBody(HttpResponse.status(status), msg);
    }

    /** Puts {@code {"msg": ...}} on a response Micronaut has already given its status. */
    static MutableHttpResponse<JsonNode> withBody(MutableHttpResponse<?> response, String msg) {
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(JsonNode.createObjectNode(Map.of("msg", JsonNode.createStringNode(msg))));
    }
}
