package org.pageserver.adapters.http.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.pageserver.domain.error.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything no closer handler claims: a bug. The stack trace goes to the log, never to the
 * client, which gets what {@link Failures#describe} makes of it (no path of the node).
 * Micronaut's handlers for its own exceptions (conversion, body size, JSON) are closer matches and
 * still apply; they answer through {@link MsgErrorResponseProcessor}.
 */
@Singleton
final class UnexpectedExceptionHandler implements ExceptionHandler<Exception, HttpResponse<JsonNode>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionHandler.class);

    @Override
    public HttpResponse<JsonNode> handle(HttpRequest request, Exception exception) {
        LOG.error("{} {} failed unexpectedly", request.getMethod(), request.getPath(), exception);
        return ErrorMapper.respond(HttpStatus.INTERNAL_SERVER_ERROR, Failures.describe(exception));
    }
}
