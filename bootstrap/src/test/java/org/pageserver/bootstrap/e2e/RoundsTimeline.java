package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * A new tenant with one timeline that took {@link PageRounds} (round r: every page r, one layer
 * file a round) and uploaded them all: what the eviction tests start from. {@code dir} is the
 * timeline's directory of layer files.
 */
record RoundsTimeline(String tenant, String base, Path dir, List<Lsn> ends) {

    /** @param tenantConfig the tenant's settings, as JSON fields without braces (may be empty) */
    static RoundsTimeline create(Api api, Path workdir, String tenantConfig, int rounds) {
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\""
                + (tenantConfig.isEmpty() ? "" : "," + tenantConfig) + "}").status());
        assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        PageRounds pageRounds = new PageRounds(base);
        List<Lsn> ends = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            pageRounds.round(api, r);
            ends.add(pageRounds.last());
        }
        api.await(base, resp -> pageRounds.last().toString().equals(resp.object().get("remote_consistent_lsn")));
        return new RoundsTimeline(tenant, base, workdir.resolve("tenants/" + tenant + "/timelines/" + timeline), ends);
    }

    /** The timeline's id. */
    String timeline() {
        return base.substring(base.lastIndexOf('/') + 1);
    }

    /** The layer files on local disk now. */
    List<Path> layerFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains("__")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Their bytes, measured on the file system. */
    long layerBytes() {
        long sum = 0;
        for (Path file : layerFiles()) {
            sum += file.toFile().length();
        }
        return sum;
    }

    /** Block {@code blkno} of every round, at its end, reads back as written. */
    void assertEveryRoundReads(Api api, long blkno) {
        for (int r = 1; r <= ends.size(); r++) {
            Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=" + blkno + "&lsn=" + ends.get(r - 1));
            assertEquals(200, page.status(), page.text());
            assertArrayEquals(PageRounds.page(r), page.body(), tenant + ", round " + r + ", block " + blkno);
        }
    }
}
