package org.pageserver.adapters.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
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
}
