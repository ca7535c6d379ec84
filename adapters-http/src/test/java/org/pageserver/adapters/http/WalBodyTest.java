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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest bodies of many buffers, with and without a Content-Length, reach the use case whole and
 * exact (WholeBody), and a body without one is still cut off at the limit.
 */
@MicronautTest
@Property(name = "micronaut.server.max-request-size", value = "4194304")
class WalBodyTest extends DataPlaneTestBase {
    private static final int LIMIT = 4 * 1024 * 1024;

    @Inject
    EmbeddedServer server;

    /** Bytes that differ from one position to the next, so a misplaced or missing buffer shows. */
    private static byte[] patterned(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >>> 8));
        }
        return body;
    }

    /** A body sent as a stream: chunked, without a Content-Length. */
    private HttpResponse<String> sendChunked(byte[] body) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + path("wal")))
                        .header("Content-Type", "application/octet-stream")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                BodyHandlers.ofString());
    }

    @Test
    void aBodyOfManyBuffersIsReadWholeIntoAnArrayOfItsLength() {
        for (byte[] body : new byte[][] {patterned(3 * 1024 * 1024 + 5), patterned(LIMIT)}) {
            Reply reply = api().sendBytes(HttpRequest.POST(path("wal"), body), MediaType.APPLICATION_OCTET_STREAM_TYPE);
            assertEquals(200, reply.status(), reply::toString);
        }
        assertEquals(2, timeline().ingested.size());
        assertArrayEquals(patterned(3 * 1024 * 1024 + 5), timeline().ingested.get(0));
        assertArrayEquals(patterned(LIMIT), timeline().ingested.get(1));
    }

    @Test
    void aChunkedBodyIsReadWholeByteForByte() throws Exception {
        // A few bytes, more than a first guess at an unknown length (64 KiB), several doublings, the limit.
        byte[][] bodies = {patterned(3), patterned(200 * 1024 + 3), patterned(3 * 1024 * 1024 + 7), patterned(LIMIT)};
        for (byte[] body : bodies) {
            HttpResponse<String> reply = sendChunked(body);
            assertEquals(200, reply.statusCode(), reply.body());
        }
        assertEquals(bodies.length, timeline().ingested.size());
        for (int i = 0; i < bodies.length; i++) {
            assertArrayEquals(bodies[i], timeline().ingested.get(i), "body " + i);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndNeverReachesTheUseCase() throws Exception {
        HttpResponse<String> reply = sendChunked(new byte[LIMIT + 1]);
        assertEquals(413, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), reply.body());
        assertTrue(reply.body().startsWith("{\"msg\":"), reply.body());
        assertEquals(0, timeline().ingested.size());
    }
}
