package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * A body over {@code micronaut.server.max-request-size} (the default, 16MB) is a 413 {@code {"msg"}},
 * decided before the body is held whole: an announced length over the limit is refused without a
 * byte of the body sent, and a chunked body is cut off once it crosses the limit. A body of exactly
 * the limit is read and judged on its content.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodySizeLimitTest {
    private static final int LIMIT = 16 * 1024 * 1024;
    private static final int CHUNK = 1024 * 1024;

    @TempDir
    static Path workdir;

    private Node node;
    private String wal;

    @BeforeAll
    void start() {
        node = Node.start(workdir, Map.of());
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        assertEquals(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
        assertEquals(201, node.call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        wal = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal";
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private String path(String endpoint) {
        return endpoint.equals("wal") ? wal : "/v1/tenant";
    }

    private static String contentType(String endpoint) {
        return endpoint.equals("wal") ? "application/octet-stream" : "application/json";
    }

    @ParameterizedTest
    @ValueSource(strings = {"wal", "tenant create"})
    void anAnnouncedLengthOverTheLimitIsRefusedBeforeTheBodyIsSent(String endpoint) throws IOException {
        try (RawHttp.Connection connection = node.http.open()) {
            connection.write("POST " + path(endpoint) + " HTTP/1.1\r\nContent-Type: " + contentType(endpoint)
                    + "\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n");
            connection.out.flush();
            // Not one byte of the body follows: an answer at all shows nothing was waited for.
            RawHttp.Response response = connection.readResponse();
            assertTooLarge(response);
            assertTrue(response.text().contains("maximum allowed content length [" + LIMIT + "]"), response.text());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wal", "tenant create"})
    void aChunkedBodyIsCutOffOnceItCrossesTheLimit(String endpoint) throws IOException {
        try (RawHttp.Connection connection = node.http.open()) {
            connection.write("POST " + path(endpoint) + " HTTP/1.1\r\nContent-Type: " + contentType(endpoint)
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            long sent = 0;
            byte[] chunk = new byte[CHUNK];
            byte[] chunkHead = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                while (sent < 3L * LIMIT) {
                    connection.out.write(chunkHead);
                    connection.out.write(chunk);
                    connection.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    connection.out.flush();
                    sent += CHUNK;
                }
            } catch (IOException closedByTheServer) {
                // Expected: the server answered and closed the connection rather than read on.
            }
            // What the socket buffers took before the server closed is the only slack past the limit.
            assertTrue(sent < 2L * LIMIT, "the server read " + sent + " bytes of a body over the limit");
            assertTooLarge(connection.readResponse());
        }
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadAndJudgedOnItsContent() throws IOException {
        byte[] body = new byte[LIMIT];
        RawHttp.Response response = node.http.send("POST", wal, "application/octet-stream", body);
        assertEquals(400, response.status(), response.text());
        assertTrue(response.text().contains("frame 0"), response.text());
        assertEquals(413, node.http.send("POST", wal, "application/octet-stream", new byte[LIMIT + 1]).status());
    }

    private void assertTooLarge(RawHttp.Response response) {
        assertEquals(413, response.status(), response.text());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        assertTrue(node.object(response).get("msg") instanceof String, response.text());
    }
}
