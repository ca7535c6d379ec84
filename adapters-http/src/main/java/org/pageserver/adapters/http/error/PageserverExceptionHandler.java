package org.pageserver.adapters.http.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Expected failures from the use cases and from request parsing. */
@Singleton
final class PageserverExceptionHandler implements ExceptionHandler<PageserverException, HttpResponse<JsonNode>> {
    private static final Logger LOG = LoggerFactory.getLogger(PageserverExceptionHandler.class);

    @Override
    public HttpResponse<JsonNode> handle(HttpRequest request, PageserverException exception) {
        if (exception.kind() == ErrorKind.INTERNAL) {
            LOG.error("{} {} failed", request.getMethod(), request.getPath(), exception);
        } else {
            LOG.info("{} {}: {} {}", request.getMethod(), request.getPath(), exception.kind(), exception.getMessage());
        }
        return ErrorMapper.toResponse(exception);
    }
}
