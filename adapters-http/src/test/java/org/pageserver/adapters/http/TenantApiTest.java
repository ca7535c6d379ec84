package org.pageserver.adapters.http;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.domain.id.TenantId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class TenantApiTest extends ApiTestBase {

    @Test
    void createReturns201WithTheIdAsAJsonString() {
        String id = TenantId.generate().toString();
        Reply reply = api().post("/v1/tenant", "{\"new_tenant_id\": \"" + id + "\", \"generation\": 3,"
                + " \"gc_horizon\": 1024, \"compaction_threshold\": \"5\", \"pitr_interval\": \"10 m\"}");
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("\"" + id + "\"", reply.body());
    }

    @Test
    void createWithoutIdGeneratesOne() {
        Reply reply = api().post("/v1/tenant", "{}");
        assertEquals(201, reply.status(), reply::toString);
        String id = reply.json().getStringValue();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(200, api().get("/v1/tenant/" + id).status());
    }

    @Test
    void upperCaseIdIsAcceptedAndRenderedLowerCase() {
        String id = TenantId.generate().toString();
        Reply created = api().post("/v1/tenant", "{\"new_tenant_id\": \"" + id.toUpperCase(Locale.ROOT) + "\"}");
        assertEquals("\"" + id + "\"", created.body());
        Reply got = api().get("/v1/tenant/" + id.toUpperCase(Locale.ROOT));
        assertEquals(200, got.status(), got::toString);
        assertEquals(id, got.json().get("id").getStringValue());
    }

    @Test
    void createTwiceIs409() {
        String id = newTenant();
        Reply reply = api().post("/v1/tenant", "{\"new_tenant_id\": \"" + id + "\"}");
        assertEquals(409, reply.status(), reply::toString);
        assertEquals("Conflict: tenant " + id + " already exists, state: Active", reply.msg());
    }

    @Test
    void createRefusesUnknownFieldsAndBadValues() {
        Reply unknown = api().post("/v1/tenant", "{\"gc_horizon\": 1, \"no_such_field\": 1}");
        assertEquals(400, unknown.status());
        assertEquals("unknown field `no_such_field`", unknown.msg());

        Reply stringNumber = api().post("/v1/tenant", "{\"gc_horizon\": \"20000\"}");
        assertEquals(400, stringNumber.status());
        assertTrue(stringNumber.msg().contains("`gc_horizon`"), stringNumber.msg());

        Reply negative = api().post("/v1/tenant", "{\"checkpoint_distance\": -5}");
        assertEquals(400, negative.status());
        assertTrue(negative.msg().contains("`checkpoint_distance`"), negative.msg());

        Reply badDuration = api().post("/v1/tenant", "{\"gc_period\": \"7\"}");
        assertEquals(400, badDuration.status());
        assertTrue(badDuration.msg().startsWith("Cannot parse `gc_period` duration \"7\""), badDuration.msg());

        Reply badId = api().post("/v1/tenant", "{\"new_tenant_id\": \"xyz\"}");
        assertEquals(400, badId.status());
        assertEquals("invalid value for `new_tenant_id`: Invalid character 'x' at position 0", badId.msg());

        Reply numberId = api().post("/v1/tenant", "{\"new_tenant_id\": 12}");
        assertEquals(400, numberId.status());
        assertTrue(numberId.msg().contains("`new_tenant_id`"), numberId.msg());

        Reply badGeneration = api().post("/v1/tenant", "{\"generation\": 4294967296}");
        assertEquals(400, badGeneration.status());
        assertTrue(badGeneration.msg().contains("`generation`"), badGeneration.msg());
    }

    @Test
    void getShowsStateAndAttachmentWithBothKeys() {
        String id = newTenant();
        Reply reply = api().get("/v1/tenant/" + id);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("{\"id\":\"" + id + "\",\"state\":{\"slug\":\"Active\",\"data\":{}},\"current_physical_size\":0,"
                + "\"attachment_status\":{\"slug\":\"attached\",\"data\":{}}}", reply.body());
    }

    @Test
    void listShowsEveryTenantWithoutSizes() {
        String id = newTenant();
        Reply reply = api().get("/v1/tenant");
        assertEquals(200, reply.status(), reply::toString);
        JsonNode found = null;
        for (JsonNode tenant : reply.json().values()) {
            if (tenant.get("id").getStringValue().equals(id)) {
                found = tenant;
            }
        }
        assertTrue(found != null, reply::toString);
        assertTrue(found.get("current_physical_size").isNull());
        assertEquals("Active", found.get("state").get("slug").getStringValue());
    }

    @Test
    void getOfAnAbsentTenantIs404() {
        String id = TenantId.generate().toString();
        Reply reply = api().get("/v1/tenant/" + id);
        assertEquals(404, reply.status());
        assertEquals("NotFound: tenant " + id, reply.msg());
    }

    @Test
    void badPathIdIs400NamingTheField() {
        Reply reply = api().get("/v1/tenant/0123");
        assertEquals(400, reply.status());
        assertEquals("failed to parse tenant_id: Invalid string length: expected 32 hex characters, got 4", reply.msg());
        Reply odd = api().delete("/v1/tenant/012");
        assertEquals(400, odd.status());
        assertEquals("failed to parse tenant_id: Odd number of digits", odd.msg());
        // As in Neon, GET /v1/tenant/config is the tenant route with a bad id.
        Reply config = api().get("/v1/tenant/config");
        assertEquals(400, config.status());
        assertTrue(config.msg().startsWith("failed to parse tenant_id"), config.msg());
    }

    @Test
    void deleteIs202ThenGetEventually404AndDeleteAgainIs404() throws InterruptedException {
        String id = newTenant();
        newTimeline(id);
        Reply deleted = api().delete("/v1/tenant/" + id);
        assertEquals(202, deleted.status(), deleted::toString);
        assertEquals("null", deleted.body());
        awaitStatus(404, () -> api().get("/v1/tenant/" + id));
        Reply again = api().delete("/v1/tenant/" + id);
        assertEquals(404, again.status());
        assertEquals("NotFound: tenant " + id, again.msg());
    }

    @Test
    void whileDeletionRunsTheTenantIsStoppingASecondDeleteIs409AndTimelinesAre503() throws InterruptedException {
        String id = newTenant();
        store.holdDeletes();
        try {
            assertEquals(202, api().delete("/v1/tenant/" + id).status());
            Reply during = api().get("/v1/tenant/" + id);
            assertEquals(200, during.status());
            assertEquals("{\"slug\":\"Stopping\",\"data\":{}}", jsonText(during.json().get("state")));
            assertEquals("maybe", during.json().get("attachment_status").get("slug").getStringValue());

            Reply second = api().delete("/v1/tenant/" + id);
            assertEquals(409, second.status());
            assertEquals("Conflict: Tenant deletion is already in progress", second.msg());

            Reply timelines = api().get("/v1/tenant/" + id + "/timeline");
            assertEquals(503, timelines.status());
            assertEquals("Tenant " + id + " is not active. Current state: Stopping", timelines.msg());
        } finally {
            store.releaseDeletes();
        }
        awaitStatus(404, () -> api().get("/v1/tenant/" + id));
    }

    private String jsonText(JsonNode node) {
        try {
            return jsonMapper.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
