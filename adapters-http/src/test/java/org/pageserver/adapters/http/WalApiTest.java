package org.pageserver.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST …/wal and PUT …/checkpoint. */
@MicronautTest
class WalApiTest extends DataPlaneTestBase {
    @Inject
    EmbeddedServer server;

    private static byte[] everyByteValue() {
        byte[] body = new byte[512];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        return body;
    }

    private Reply ingest(byte[] body, MediaType contentType) {
        return api().sendBytes(HttpRequest.POST(path("wal"), body), contentType);
    }

    @Test
    void theBodyReachesTheUseCaseByteForByteAndTheAnswerIsTheNewLastRecordLsn() {
        byte[] body = everyByteValue();
        Reply reply = ingest(body, MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        // The fake answers 0/1000000 plus the bytes ingested so far.
        assertEquals("{\"last_record_lsn\":\"0/1000200\"}", reply.body());
        assertEquals(1, timeline().ingested.size());
        assertArrayEquals(body, timeline().ingested.get(0));
    }

    @Test
    void anyContentTypeOrNoneIsRead() {
        byte[] body = everyByteValue();
        for (MediaType type : new MediaType[] {MediaType.TEXT_PLAIN_TYPE, MediaType.APPLICATION_JSON_TYPE, null}) {
            Reply reply = ingest(body, type);
            assertEquals(200, reply.status(), type + " -> " + reply);
        }
        assertEquals(3, timeline().ingested.size());
        for (byte[] received : timeline().ingested) {
            assertArrayEquals(body, received);
        }
    }

    /**
     * {@code curl --data-binary @batch} labels the body as a form; Micronaut's own client cannot
     * send bytes with that label, so the JDK's does.
     */
    @Test
    void aBodyLabelledAsAFormIsStillReadByteForByte() throws Exception {
        byte[] body = everyByteValue();
        for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data"}) {
            HttpResponse<String> reply = HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + path("wal")))
                            .header("Content-Type", type).POST(BodyPublishers.ofByteArray(body)).build(),
                    BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), type + " -> " + reply.body());
        }
        assertEquals(2, timeline().ingested.size());
        for (byte[] received : timeline().ingested) {
            assertArrayEquals(body, received);
        }
    }

    @Test
    void emptyBodyIs400AndNothingIsIngested() {
        Reply reply = ingest(new byte[0], MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(400, reply.status(), reply::toString);
        assertEquals("missing request body", reply.msg());
        assertEquals(0, timeline().ingested.size());
    }

    @Test
    void aBadFrameIs400WithTheUseCasesMessage() {
        timeline().failure = PageserverException.badRequest("frame 2 at byte 8230: LSN 0/100 is not above 0/200");
        Reply reply = ingest(everyByteValue(), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(400, reply.status(), reply::toString);
        assertEquals("frame 2 at byte 8230: LSN 0/100 is not above 0/200", reply.msg());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    }

    @Test
    void errorKindsKeepTheirStatus() {
        timeline().failure = PageserverException.notFound("Timeline " + tenant + "/" + timelineId + " was not found");
        Reply missing = ingest(everyByteValue(), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(404, missing.status(), missing::toString);
        assertEquals("NotFound: Timeline " + tenant + "/" + timelineId + " was not found", missing.msg());

        timeline().failure = new PageserverException(ErrorKind.UNAVAILABLE, "Tenant " + tenant + " is not active");
        Reply unavailable = ingest(everyByteValue(), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(503, unavailable.status(), unavailable::toString);
        assertEquals("Tenant " + tenant + " is not active", unavailable.msg());
    }

    @Test
    void badIdsAre400NamingTheField() {
        Reply badTenant = api().sendBytes(HttpRequest.POST("/v1/tenant/xyz/timeline/" + timelineId + "/wal",
                everyByteValue()), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(400, badTenant.status(), badTenant::toString);
        assertTrue(badTenant.msg().startsWith("failed to parse tenant_id"), badTenant.msg());
        Reply badTimeline = api().sendBytes(HttpRequest.POST("/v1/tenant/" + tenant + "/timeline/xyz/wal",
                everyByteValue()), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(400, badTimeline.status(), badTimeline::toString);
        assertTrue(badTimeline.msg().startsWith("failed to parse timeline_id"), badTimeline.msg());
    }

    @Test
    void checkpointAnswers200NullAndReachesTheUseCase() {
        Reply reply = api().put(path("checkpoint"), null);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("null", reply.body());
        assertEquals(1, timeline().checkpoints.get());
    }

    @Test
    void compactAnswers200NullAndReachesTheUseCase() {
        Reply reply = api().put(path("compact"), null);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("null", reply.body());
        assertEquals(1, timeline().compactions.get());
        timeline().failure = PageserverException.unavailable("timeline " + tenant + "/" + timelineId + " is broken: image layer creation failed");
        Reply broken = api().put(path("compact"), null);
        assertEquals(503, broken.status(), broken::toString);
    }

    @Test
    void checkpointOfAMissingTimelineIs404() {
        timeline().failure = PageserverException.notFound("Timeline " + tenant + "/" + timelineId + " was not found");
        Reply reply = api().put(path("checkpoint"), null);
        assertEquals(404, reply.status(), reply::toString);
        assertTrue(reply.msg().startsWith("NotFound: Timeline"), reply.msg());
    }

    @Test
    void trailingSlashesAreOptional() {
        Reply ingested = api().sendBytes(HttpRequest.POST(path("wal/"), everyByteValue()),
                MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(200, ingested.status(), ingested::toString);
        assertEquals(200, api().put(path("checkpoint/"), null).status());
    }

    @Test
    void wrongMethodIs404() {
        Reply reply = api().get(path("wal"));
        assertEquals(404, reply.status(), reply::toString);
        assertEquals("page not found", reply.msg());
    }
}
