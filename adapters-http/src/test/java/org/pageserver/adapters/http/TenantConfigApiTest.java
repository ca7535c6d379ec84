package org.pageserver.adapters.http;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.adapters.http.support.TestWiring;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.id.TenantId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class TenantConfigApiTest extends ApiTestBase {

    private JsonNode config(String tenantId) {
        Reply reply = api().get("/v1/tenant/" + tenantId + "/config");
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    @Test
    void effectiveConfigHasEveryFieldWithItsDefault() {
        JsonNode config = config(newTenant());
        assertEquals(0, config.get("tenant_specific_overrides").size());
        JsonNode effective = config.get("effective_config");
        assertEquals(TenantConfigField.values().length, effective.size());
        for (TenantConfigField field : TenantConfigField.values()) {
            assertTrue(effective.get(field.key()) != null, field.key());
        }
        assertEquals(268435456L, effective.get("checkpoint_distance").getLongValue());
        assertEquals("10m", effective.get("checkpoint_timeout").getStringValue());
        assertEquals("20s", effective.get("compaction_period").getStringValue());
        assertEquals(10L, effective.get("compaction_threshold").getLongValue());
        assertEquals(TestWiring.SERVER_GC_HORIZON, effective.get("gc_horizon").getLongValue());
        assertEquals("1h", effective.get("gc_period").getStringValue());
        assertEquals("7days", effective.get("pitr_interval").getStringValue());
        assertEquals(10485760L, effective.get("max_lsn_wal_lag").getLongValue());
        assertEquals(false, effective.get("trace_read_requests").getBooleanValue());
        assertEquals("NoEviction", effective.get("eviction_policy").get("kind").getStringValue());
        assertTrue(effective.get("min_resident_size_override").isNull());
        assertEquals("1day", effective.get("evictions_low_residence_duration_metric_threshold").getStringValue());
    }

    @Test
    void createdOverridesShowAsSetFieldsOnly() {
        String id = TenantId.generate().toString();
        api().post("/v1/tenant", "{\"new_tenant_id\": \"" + id + "\", \"gc_period\": \"80s\","
                + " \"compaction_threshold\": \"4\","
                + " \"eviction_policy\": {\"kind\": \"LayerAccessThreshold\", \"period\": \"1h\", \"threshold\": \"1day\"}}");
        JsonNode config = config(id);
        assertEquals("{\"compaction_threshold\":4,\"gc_period\":\"1m 20s\",\"eviction_policy\":"
                        + "{\"kind\":\"LayerAccessThreshold\",\"period\":\"1h\",\"threshold\":\"1day\"}}",
                text(config.get("tenant_specific_overrides")));
        assertEquals("1m 20s", config.get("effective_config").get("gc_period").getStringValue());
        assertEquals(4L, config.get("effective_config").get("compaction_threshold").getLongValue());
    }

    @Test
    void putReplacesAllOverridesAndReturnsTheTenantInAnArray() {
        String id = TenantId.generate().toString();
        api().post("/v1/tenant", "{\"new_tenant_id\": \"" + id + "\", \"gc_horizon\": 5, \"gc_feedback\": true}");
        Reply reply = api().put("/v1/tenant/config", "{\"tenant_id\": \"" + id + "\", \"pitr_interval\": \"1h\","
                + " \"min_resident_size_override\": 0, \"gc_feedback\": null}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(1, reply.json().size());
        assertEquals(id, reply.json().get(0).get("id").getStringValue());
        assertEquals("Active", reply.json().get(0).get("state").get("slug").getStringValue());

        JsonNode config = config(id);
        assertEquals("{\"pitr_interval\":\"1h\",\"min_resident_size_override\":0}",
                text(config.get("tenant_specific_overrides")));
        JsonNode effective = config.get("effective_config");
        assertEquals(TestWiring.SERVER_GC_HORIZON, effective.get("gc_horizon").getLongValue());
        assertEquals(false, effective.get("gc_feedback").getBooleanValue());
        assertEquals(0L, effective.get("min_resident_size_override").getLongValue());
    }

    @Test
    void putRefusesUnknownFieldsBadValuesAndBadIds() {
        String id = newTenant();
        Reply unknown = api().put("/v1/tenant/config", "{\"tenant_id\": \"" + id + "\", \"gc_horizonn\": 1}");
        assertEquals(400, unknown.status());
        assertEquals("unknown field `gc_horizonn`", unknown.msg());

        Reply missingId = api().put("/v1/tenant/config", "{\"gc_horizon\": 1}");
        assertEquals(400, missingId.status());
        assertEquals("missing field `tenant_id`", missingId.msg());

        Reply badId = api().put("/v1/tenant/config", "{\"tenant_id\": \"g0\"}");
        assertEquals(400, badId.status());
        assertTrue(badId.msg().startsWith("invalid value for `tenant_id`: Invalid character 'g'"), badId.msg());

        Reply badBool = api().put("/v1/tenant/config", "{\"tenant_id\": \"" + id + "\", \"trace_read_requests\": 1}");
        assertEquals(400, badBool.status());
        assertTrue(badBool.msg().contains("`trace_read_requests`"), badBool.msg());

        Reply zero = api().put("/v1/tenant/config", "{\"tenant_id\": \"" + id + "\", \"max_lsn_wal_lag\": 0}");
        assertEquals(400, zero.status());
        assertTrue(zero.msg().contains("`max_lsn_wal_lag`"), zero.msg());

        Reply emptyDuration = api().put("/v1/tenant/config", "{\"tenant_id\": \"" + id + "\", \"gc_period\": \"\"}");
        assertEquals(400, emptyDuration.status());
        assertTrue(emptyDuration.msg().startsWith("Cannot parse `gc_period` duration \"\""), emptyDuration.msg());

        Reply notObject = api().put("/v1/tenant/config", "[1]");
        assertEquals(400, notObject.status());
    }

    @Test
    void putAndGetOfAnAbsentTenantAre404() {
        String id = TenantId.generate().toString();
        Reply put = api().put("/v1/tenant/config", "{\"tenant_id\": \"" + id + "\"}");
        assertEquals(404, put.status());
        assertEquals("NotFound: tenant " + id, put.msg());
        Reply get = api().get("/v1/tenant/" + id + "/config");
        assertEquals(404, get.status());
        assertEquals("NotFound: tenant " + id, get.msg());
        assertEquals(400, api().get("/v1/tenant/nothex/config").status());
    }

    @Test
    void putWhileTheTenantIsStoppingIs503() {
        String id = newTenant();
        store.holdDeletes();
        try {
            assertEquals(202, api().delete("/v1/tenant/" + id).status());
            Reply put = api().put("/v1/tenant/config", "{\"tenant_id\": \"" + id + "\"}");
            assertEquals(503, put.status(), put::toString);
            // The configuration is still readable in any state.
            assertEquals(200, api().get("/v1/tenant/" + id + "/config").status());
        } finally {
            store.releaseDeletes();
        }
    }

    private String text(JsonNode node) {
        try {
            return jsonMapper.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
