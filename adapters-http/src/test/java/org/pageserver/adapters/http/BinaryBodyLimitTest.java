package org.pageserver.adapters.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.pageserver.adapters.http.support.ApiClient.Reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binary bodies above micronaut.server.max-request-size: Micronaut refuses them itself, before any
 * controller runs, and the error mapper still gives them the {@code {"msg"}} shape.
 */
@MicronautTest
@Property(name = "micronaut.server.max-request-size", value = "1024")
class BinaryBodyLimitTest extends DataPlaneTestBase {
    @Inject
    EmbeddedServer server;

    private void assertRefusedAsTooLarge(Reply reply) {
        assertEquals(413, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply::toString);
        assertTrue(reply.msg().length() > 0, reply::toString);
    }

    @Test
    void anIngestBatchAboveTheLimitIs413AndNeverReachesTheUseCase() {
        Reply reply = api().sendBytes(HttpRequest.POST(path("wal"), new byte[1025]), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertRefusedAsTooLarge(reply);
        assertEquals(0, timeline().ingested.size());
    }

    @Test
    void aPageBatchAboveTheLimitIs413() {
        Reply reply = api().sendBytes(HttpRequest.POST(path("pages"), new byte[25 * 50]), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertRefusedAsTooLarge(reply);
        assertEquals(null, timeline().lastCall);
    }

    @Test
    void aBatchAtTheLimitIsRead() {
        Reply reply = api().sendBytes(HttpRequest.POST(path("wal"), new byte[1024]), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(1024, timeline().ingested.get(0).length);
    }

    /**
     * The rest of a body refused for its announced length is discarded, so the connection goes on
     * to the next request. The body is larger than what the server reads ahead for a reader (64 KiB),
     * so that a server waiting on it would never get to the next one.
     */
    @Test
    void theNextRequestIsAnsweredAfterABodyRefusedForItsLength() {
        for (int i = 0; i < 3; i++) {
            assertRefusedAsTooLarge(api().sendBytes(HttpRequest.POST(path("wal"), new byte[1024 * 1024]),
                    MediaType.APPLICATION_OCTET_STREAM_TYPE));
            Reply next = api().sendBytes(HttpRequest.POST(path("wal"), new byte[10]), MediaType.APPLICATION_OCTET_STREAM_TYPE);
            assertEquals(200, next.status(), next::toString);
        }
        assertEquals(3, timeline().ingested.size());
    }

    /** A body without a Content-Length: only the bytes themselves can cross the limit. */
    private HttpResponse<String> sendChunked(String endpoint, byte[] body) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + path(endpoint)))
                        .header("Content-Type", "application/octet-stream")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                BodyHandlers.ofString());
    }

    @Test
    void aChunkedIngestBatchAboveTheLimitIs413AndNeverReachesTheUseCase() throws Exception {
        HttpResponse<String> reply = sendChunked("wal", new byte[1025]);
        assertEquals(413, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), reply.body());
        assertTrue(reply.body().startsWith("{\"msg\":"), reply.body());
        assertEquals(0, timeline().ingested.size());
    }

    @Test
    void aChunkedBatchAtTheLimitIsRead() throws Exception {
        HttpResponse<String> reply = sendChunked("wal", new byte[1024]);
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals(1024, timeline().ingested.get(0).length);
    }
}
