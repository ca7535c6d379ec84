package org.pageserver.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/** The management calls of the HTTP API that the benches make, each on a connection of its own. */
final class PageserverApi {
    private static final Pattern LAST_RECORD_LSN = Pattern.compile("\"last_record_lsn\"\\s*:\\s*\"([0-9A-Fa-f]+/[0-9A-Fa-f]+)\"");

    private final URI server;

    PageserverApi(URI server) {
        this.server = server;
    }

    RawHttp connect() throws IOException {
        return new RawHttp(server.getHost(), server.getPort());
    }

    /**
     * A new tenant; its id.
     *
     * @param moreConfig more fields of the tenant's config, each after a comma ("" for none)
     */
    String createTenant(String moreConfig) throws IOException {
        String id = TenantId.generate().toString();
        post("/v1/tenant", "{\"new_tenant_id\":\"" + id + "\"" + moreConfig + "}", 201);
        return id;
    }

    /** A new timeline of {@code tenant}, with no ancestor; its id. */
    String createTimeline(String tenant) throws IOException {
        String id = TimelineId.generate().toString();
        post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + id + "\"}", 201);
        return id;
    }

    /** Writes what the timeline holds in memory to layer files, and returns once it is on disk. */
    void checkpoint(String tenant, String timeline) throws IOException {
        put("/v1/tenant/" + tenant + "/timeline/" + timeline + "/checkpoint");
    }

    void compact(String tenant, String timeline) throws IOException {
        put("/v1/tenant/" + tenant + "/timeline/" + timeline + "/compact");
    }

    /** The timeline's last_record_lsn, as GET /v1/tenant/{t}/timeline/{tl} says it. */
    Lsn lastRecordLsn(String tenant, String timeline) throws IOException {
        try (RawHttp http = connect()) {
            String info = http.get("/v1/tenant/" + tenant + "/timeline/" + timeline).expect(200).text();
            Matcher m = LAST_RECORD_LSN.matcher(info);
            if (!m.find()) {
                throw new IllegalStateException("no last_record_lsn in " + info);
            }
            return Lsn.parse(m.group(1));
        }
    }

    private void post(String path, String json, int status) throws IOException {
        try (RawHttp http = connect()) {
            http.send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8)).expect(status);
        }
    }

    private void put(String path) throws IOException {
        try (RawHttp http = connect()) {
            http.send("PUT", path, "application/json", new byte[0]).expect(200);
        }
    }
}
