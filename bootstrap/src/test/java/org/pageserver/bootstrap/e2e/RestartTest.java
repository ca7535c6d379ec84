package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * Stopping and starting the server keeps tenants, their settings and timelines; a deletion whose
 * mark was saved before the stop finishes after the start.
 */
class RestartTest {

    @TempDir
    Path workdir;

    private EmbeddedServer start() {
        return ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1));
    }

    @Test
    void everythingSurvivesARestart() {
        String tenant = TenantId.generate().toString();
        String root = TimelineId.generate().toString();
        String branch = TimelineId.generate().toString();
        Map<String, Object> rootBefore;
        Map<String, Object> configBefore;
        try (EmbeddedServer server = start()) {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant
                    + "\",\"pitr_interval\":\"3days\",\"eviction_policy\":{\"kind\":\"LayerAccessThreshold\","
                    + "\"period\":\"10m\",\"threshold\":\"1day\"}}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + root + "\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + branch
                    + "\",\"ancestor_timeline_id\":\"" + root + "\"}").status());
            // The new timeline's index is uploaded in the background (or at the stop): wait for it,
            // or remote_consistent_lsn would differ only because the upload came after the look.
            rootBefore = api.await("/v1/tenant/" + tenant + "/timeline/" + root, r -> r.object().get("remote_consistent_lsn")
                    .equals(r.object().get("last_record_lsn"))).object();
            configBefore = api.get("/v1/tenant/" + tenant + "/config").object();
        }
        try (EmbeddedServer server = start()) {
            Api api = new Api(server);
            api.await("/v1/tenant/" + tenant, r -> r.status() == 200
                    && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug")));
            assertEquals(rootBefore, api.get("/v1/tenant/" + tenant + "/timeline/" + root).object());
            assertEquals(configBefore, api.get("/v1/tenant/" + tenant + "/config").object());
            Map<String, Object> branchInfo = api.get("/v1/tenant/" + tenant + "/timeline/" + branch).object();
            assertEquals(root, branchInfo.get("ancestor_timeline_id"));
        }
    }

    @Test
    void deletionsCutShortByAStopResumeAtTheStart() {
        String deletedTenant = TenantId.generate().toString();
        String keptTenant = TenantId.generate().toString();
        String deletedTimeline = TimelineId.generate().toString();
        try (EmbeddedServer server = start()) {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + deletedTenant + "\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + deletedTenant + "/timeline", "{}").status());
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + keptTenant + "\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + keptTenant + "/timeline",
                    "{\"new_timeline_id\":\"" + deletedTimeline + "\"}").status());
            // A stop right after a DELETE was acknowledged: the marks are saved, the background work never ran.
            var context = server.getApplicationContext();
            var tenantMeta = context.getBean(LoadTenantPort.class).loadTenants().stream()
                    .filter(t -> t.id().toString().equals(deletedTenant)).findFirst().orElseThrow();
            context.getBean(SaveTenantPort.class).saveTenant(tenantMeta.markedDeleting());
            var timelineMeta = context.getBean(LoadTimelinePort.class).loadTimelines(TenantId.parse(keptTenant)).get(0);
            context.getBean(SaveTimelinePort.class).saveTimeline(timelineMeta.markedDeleting());
        }
        try (EmbeddedServer server = start()) {
            Api api = new Api(server);
            api.await("/v1/tenant/" + deletedTenant, r -> r.status() == 404);
            api.await("/v1/tenant/" + keptTenant, r -> r.status() == 200
                    && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug")));
            api.await("/v1/tenant/" + keptTenant + "/timeline/" + deletedTimeline, r -> r.status() == 404);
            assertEquals(0, api.get("/v1/tenant/" + keptTenant + "/timeline").array().size());
        }
        try (EmbeddedServer server = start()) {
            Api api = new Api(server);
            api.await("/v1/tenant/" + keptTenant, r -> r.status() == 200);
            assertEquals(404, api.get("/v1/tenant/" + deletedTenant).status(), "the finished deletion is durable");
        }
    }
}
