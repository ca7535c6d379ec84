package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * The management API through the running application: real HTTP, the real use cases, the real
 * H2 file database in a fresh work directory.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    Api api;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path workdir = Files.createTempDirectory("pageserver-e2e");
            return Map.of("pageserver.workdir", workdir.toString(), "pageserver.id", "42",
                    "micronaut.server.port", "-1", "pageserver.tenant-config.gc-horizon", "1024");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void client() {
        api = new Api(server);
    }

    private String createTenant(String extraFields) {
        String id = TenantId.generate().toString();
        Api.Response created = api.post("/v1/tenant", "{\"new_tenant_id\":\"" + id + "\"" + extraFields + "}");
        assertEquals(201, created.status(), created.body());
        assertEquals(id, created.json());
        return id;
    }

    @Test
    void statusShowsTheConfiguredNodeId() {
        Api.Response status = api.get("/v1/status");
        assertEquals(200, status.status());
        assertEquals(42, ((Number) status.object().get("id")).intValue());
    }

    @Test
    void tenantLifecycle() {
        Api.Response generated = api.post("/v1/tenant", "{}");
        assertEquals(201, generated.status(), generated.body());
        String generatedId = (String) generated.json();
        assertEquals(generatedId, TenantId.parse(generatedId).toString());

        String id = createTenant(",\"gc_period\":\"10 m\"");
        Api.Response info = api.get("/v1/tenant/" + id);
        assertEquals(200, info.status());
        assertEquals(id, info.object().get("id"));
        assertEquals(Map.of("slug", "Active", "data", Map.of()), info.object().get("state"));
        assertEquals(Map.of("slug", "attached", "data", Map.of()), info.object().get("attachment_status"));
        assertEquals(0, ((Number) info.object().get("current_physical_size")).intValue());

        List<Object> listed = api.get("/v1/tenant").array();
        assertTrue(listed.stream().anyMatch(t -> id.equals(((Map<?, ?>) t).get("id"))));

        Api.Response duplicate = api.post("/v1/tenant", "{\"new_tenant_id\":\"" + id + "\"}");
        assertEquals(409, duplicate.status());
        assertTrue(duplicate.msg().contains("tenant " + id + " already exists, state: Active"), duplicate.msg());

        assertEquals(202, api.delete("/v1/tenant/" + id).status());
        api.await("/v1/tenant/" + id, r -> r.status() == 404);
        Api.Response gone = api.get("/v1/tenant/" + id);
        assertEquals("NotFound: tenant " + id, gone.msg());
        assertEquals(404, api.delete("/v1/tenant/" + id).status());
    }

    @Test
    void aDeletedTenantLeavesNothingInTheWorkDirectory() {
        String id = createTenant("");
        String timeline = org.pageserver.domain.id.TimelineId.generate().toString();
        assertEquals(201, api.post("/v1/tenant/" + id + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        byte[] batch = org.pageserver.domain.wal.WalEncoder.encode(List.of(new org.pageserver.domain.wal.WalRecord.PageImage(
                org.pageserver.domain.lsn.Lsn.INITDB.plus(100), new org.pageserver.domain.page.RelTag(1663, 1, 2, 0), 0,
                new byte[8192])));
        assertEquals(200, api.postBinary("/v1/tenant/" + id + "/timeline/" + timeline + "/wal", batch).status());
        assertEquals(200, api.put("/v1/tenant/" + id + "/timeline/" + timeline + "/checkpoint", "").status());
        Path tenantDir = Path.of(server.getApplicationContext().getRequiredProperty("pageserver.workdir", String.class))
                .resolve("tenants").resolve(id);
        assertTrue(Files.isDirectory(tenantDir));

        assertEquals(202, api.delete("/v1/tenant/" + id).status());
        api.await("/v1/tenant/" + id, r -> r.status() == 404);
        assertTrue(Files.notExists(tenantDir), "its directory went with it");
    }

    @Test
    void tenantConfigReplacesOverridesAndShowsEffectiveValues() {
        String id = createTenant(",\"checkpoint_distance\":1000,\"pitr_interval\":\"1 hr\"");
        Map<String, Object> config = api.get("/v1/tenant/" + id + "/config").object();
        Map<?, ?> overrides = (Map<?, ?>) config.get("tenant_specific_overrides");
        Map<?, ?> effective = (Map<?, ?>) config.get("effective_config");
        assertEquals(1000, ((Number) overrides.get("checkpoint_distance")).intValue());
        assertEquals("1h", overrides.get("pitr_interval"));
        assertEquals(2, overrides.size(), overrides.toString());
        assertEquals("1h", effective.get("pitr_interval"));
        assertEquals(1024, ((Number) effective.get("gc_horizon")).intValue(), "the server default from the configuration");
        assertEquals("10m", effective.get("checkpoint_timeout"), "Neon's built-in default");
        assertEquals(Map.of("kind", "NoEviction"), effective.get("eviction_policy"));
        assertEquals(17, effective.size(), effective.keySet().toString());

        Api.Response replaced = api.put("/v1/tenant/config", "{\"tenant_id\":\"" + id + "\",\"gc_period\":\"2h 13m\"}");
        assertEquals(200, replaced.status(), replaced.body());
        assertEquals(id, ((Map<?, ?>) replaced.array().get(0)).get("id"));
        Map<String, Object> after = api.get("/v1/tenant/" + id + "/config").object();
        assertEquals(Map.of("gc_period", "2h 13m"), after.get("tenant_specific_overrides"));
        assertEquals(268435456L, ((Number) ((Map<?, ?>) after.get("effective_config")).get("checkpoint_distance")).longValue(),
                "an override left out falls back to the default");
    }

    @Test
    void badInputIsA400NamingTheFieldAndChangesNothing() {
        String id = createTenant("");
        Map<String, Object> before = api.get("/v1/tenant/" + id + "/config").object();
        List<String> bodies = List.of(
                "{\"tenant_id\":\"" + id + "\",\"gc_horizon\":\"20000\"}",
                "{\"tenant_id\":\"" + id + "\",\"gc_period\":\"7\"}",
                "{\"tenant_id\":\"" + id + "\",\"no_such_field\":1}",
                "{\"tenant_id\":\"" + id + "\",\"checkpoint_distance\":-1}",
                "{\"tenant_id\":\"" + id + "\",\"gc_horizon\":",
                "{\"tenant_id\":\"zz\"}");
        List<String> fields = List.of("gc_horizon", "gc_period", "no_such_field", "checkpoint_distance", "", "tenant_id");
        for (int i = 0; i < bodies.size(); i++) {
            Api.Response response = api.put("/v1/tenant/config", bodies.get(i));
            assertEquals(400, response.status(), bodies.get(i) + " -> " + response.body());
            assertTrue(response.msg().contains(fields.get(i)), response.msg());
        }
        assertEquals(before, api.get("/v1/tenant/" + id + "/config").object());
        assertEquals(400, api.get("/v1/tenant/not-a-tenant-id").status());
        assertTrue(api.get("/v1/tenant/not-a-tenant-id").msg().contains("tenant_id"));
    }

    @Test
    void timelinesBranchAndDelete() {
        String tenant = createTenant("");
        String root = TimelineId.generate().toString();
        Api.Response created = api.post("/v1/tenant/" + tenant + "/timeline",
                "{\"new_timeline_id\":\"" + root + "\",\"pg_version\":15}");
        assertEquals(201, created.status(), created.body());
        Map<String, Object> info = created.object();
        assertEquals(root, info.get("timeline_id"));
        assertEquals(tenant, info.get("tenant_id"));
        assertNull(info.get("ancestor_timeline_id"));
        assertNull(info.get("ancestor_lsn"));
        assertEquals("0/1000000", info.get("last_record_lsn"));
        assertEquals("0/1000000", info.get("disk_consistent_lsn"));
        assertEquals("0/0", info.get("remote_consistent_lsn"));
        assertEquals("Active", info.get("state"));
        assertEquals(15, ((Number) info.get("pg_version")).intValue());

        assertEquals(409, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + root + "\"}").status());

        String branch = TimelineId.generate().toString();
        Api.Response branched = api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + branch
                + "\",\"ancestor_timeline_id\":\"" + root + "\",\"ancestor_start_lsn\":\"0/1000000\"}");
        assertEquals(201, branched.status(), branched.body());
        assertEquals(root, branched.object().get("ancestor_timeline_id"));
        assertEquals("0/1000000", branched.object().get("ancestor_lsn"));

        Api.Response tooEarly = api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\""
                + TimelineId.generate() + "\",\"ancestor_timeline_id\":\"" + branch + "\",\"ancestor_start_lsn\":\"0/10\"}");
        assertEquals(406, tooEarly.status(), tooEarly.body());

        Api.Response listed = api.get("/v1/tenant/" + tenant + "/timeline?include-non-incremental-logical-size=true");
        assertEquals(2, listed.array().size());
        assertEquals(0, ((Number) ((Map<?, ?>) listed.array().get(0)).get("current_logical_size_non_incremental")).intValue());

        Api.Response parentDelete = api.delete("/v1/tenant/" + tenant + "/timeline/" + root);
        assertEquals(412, parentDelete.status());
        assertTrue(parentDelete.msg().contains("Cannot delete timeline which has child timelines"), parentDelete.msg());

        assertEquals(202, api.delete("/v1/tenant/" + tenant + "/timeline/" + branch).status());
        Api.Response gone = api.await("/v1/tenant/" + tenant + "/timeline/" + branch, r -> r.status() == 404);
        assertEquals("NotFound: Timeline " + tenant + "/" + branch + " was not found", gone.msg());
        assertEquals(202, api.delete("/v1/tenant/" + tenant + "/timeline/" + root).status());
        api.await("/v1/tenant/" + tenant + "/timeline/" + root, r -> r.status() == 404);

        Api.Response missingTenant = api.delete("/v1/tenant/" + TenantId.generate() + "/timeline/" + root);
        assertEquals(412, missingTenant.status());
        assertTrue(missingTenant.msg().contains("Requested tenant is missing"), missingTenant.msg());
    }

    @Test
    void errorsOfEveryEndpointOverTheRealDatabase() {
        String absent = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        assertEquals(404, api.get("/v1/tenant/" + absent).status());
        assertEquals("NotFound: tenant " + absent, api.get("/v1/tenant/" + absent).msg());
        assertEquals(404, api.delete("/v1/tenant/" + absent).status());
        assertEquals(404, api.get("/v1/tenant/" + absent + "/config").status());
        assertEquals(404, api.put("/v1/tenant/config", "{\"tenant_id\":\"" + absent + "\"}").status());
        assertEquals(404, api.get("/v1/tenant/" + absent + "/timeline").status());
        assertEquals(404, api.get("/v1/tenant/" + absent + "/timeline/" + timeline).status());
        assertEquals(404, api.post("/v1/tenant/" + absent + "/timeline", "{}").status());
        assertEquals(400, api.post("/v1/tenant", "{\"new_tenant_id\":\"xyz\"}").status());
        assertEquals(400, api.post("/v1/tenant", "{\"gc_period\":\"soon\"}").status());
        assertEquals(400, api.post("/v1/tenant", "[]").status());

        String tenant = createTenant("");
        String base = "/v1/tenant/" + tenant + "/timeline";
        Api.Response noAncestor = api.post(base, "{\"ancestor_timeline_id\":\"" + timeline + "\"}");
        assertEquals(404, noAncestor.status());
        assertTrue(noAncestor.msg().contains(timeline), noAncestor.msg());
        assertEquals(400, api.post(base, "{\"pg_version\":9}").status());
        assertEquals(400, api.post(base, "{\"ancestor_start_lsn\":12}").status());
        assertEquals(404, api.get(base + "/" + timeline).status());
        assertEquals(404, api.delete(base + "/" + timeline).status());
        Api.Response flag = api.get(base + "?include-non-incremental-logical-size=yes");
        assertEquals(400, flag.status());
        assertTrue(flag.msg().contains("include-non-incremental-logical-size"), flag.msg());
        assertEquals(400, api.get(base + "/not-an-id").status());
        assertTrue(api.get(base + "/not-an-id").msg().contains("timeline_id"));
    }

    @Test
    void servesTheGeneratedApiDescription() {
        Api.Response spec = api.get("/swagger/pageserver-v1.yml");
        assertEquals(200, spec.status());
        assertTrue(spec.body().contains("/v1/tenant/{tenant_id}/timeline"), spec.body());
    }

    @Test
    void servesSwaggerUiOverTheSameDescriptionWithEverythingItLoads() {
        Api.Bytes page = api.getBytes("/swagger-ui/index.html");
        assertEquals(200, page.status());
        String html = page.text();
        assertTrue(html.contains("'/swagger/pageserver-v1.yml'"), html);
        // Its scripts and styles are served here too: the page works without reaching the internet.
        for (String resource : new String[] {"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"}) {
            assertTrue(html.contains("/swagger-ui/res/" + resource), resource);
            assertEquals(200, api.getBytes("/swagger-ui/res/" + resource).status(), resource);
        }
    }

    @Test
    void unknownPathsAndTrailingSlashes() {
        Api.Response unknown = api.get("/v1/no/such/thing");
        assertEquals(404, unknown.status());
        assertTrue(unknown.object().containsKey("msg"), unknown.body());
        assertEquals(200, api.get("/v1/status/").status());
        assertEquals(200, api.get("/v1/tenant/").status());
    }
}
