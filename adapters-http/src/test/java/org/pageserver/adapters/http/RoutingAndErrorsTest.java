package org.pageserver.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.pageserver.adapters.http.support.ApiClient.Reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status, routing and the error shape that every endpoint shares. */
@MicronautTest
class RoutingAndErrorsTest extends ApiTestBase {

    @Test
    void statusAnswersTheConfiguredNodeId() {
        Reply reply = api().get("/v1/status");
        assertEquals(200, reply.status());
        assertEquals("{\"id\":7}", reply.body());
        assertEquals(200, api().get("/v1/status/").status());
    }

    @Test
    void unknownPathIs404WithMsg() {
        Reply reply = api().get("/v1/nothing/here");
        assertEquals(404, reply.status(), reply::toString);
        assertEquals("page not found", reply.msg());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    }

    @Test
    void wrongMethodIs404AsInNeon() {
        Reply reply = api().send(HttpRequest.PATCH("/v1/tenant", "{}").contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(404, reply.status(), reply::toString);
        assertEquals("page not found", reply.msg());
        assertEquals(404, api().delete("/v1/status").status());
    }

    @Test
    void everyRouteTakesAnOptionalTrailingSlash() {
        String tenant = newTenant();
        assertEquals(200, api().get("/v1/tenant/").status());
        assertEquals(200, api().get("/v1/tenant/" + tenant + "/").status());
        assertEquals(200, api().get("/v1/tenant/" + tenant + "/config/").status());
        assertEquals(200, api().put("/v1/tenant/config/", "{\"tenant_id\":\"" + tenant + "\"}").status());
        Reply created = api().post("/v1/tenant/" + tenant + "/timeline/", "{}");
        assertEquals(201, created.status(), created::toString);
        String timeline = created.json().get("timeline_id").getStringValue();
        assertEquals(200, api().get("/v1/tenant/" + tenant + "/timeline/").status());
        assertEquals(200, api().get("/v1/tenant/" + tenant + "/timeline/" + timeline + "/").status());
        assertEquals(202, api().delete("/v1/tenant/" + tenant + "/timeline/" + timeline + "/").status());
        Reply tenantCreated = api().post("/v1/tenant/", "{}");
        assertEquals(201, tenantCreated.status(), tenantCreated::toString);
        assertEquals(202, api().delete("/v1/tenant/" + tenantCreated.json().getStringValue() + "/").status());
    }

    @Test
    void malformedJsonIs400() {
        Reply reply = api().post("/v1/tenant", "{\"gc_horizon\": ");
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.msg().startsWith("Failed to parse json request"), reply.msg());
    }

    @Test
    void emptyBodyIs400MissingRequestBody() {
        Reply reply = api().post("/v1/tenant", "");
        assertEquals(400, reply.status(), reply::toString);
        assertEquals("missing request body", reply.msg());
        Reply put = api().put("/v1/tenant/config", "");
        assertEquals(400, put.status(), put::toString);
        assertEquals("missing request body", put.msg());
    }

    @Test
    void bodyThatIsNotAnObjectIs400() {
        for (String body : new String[] {"null", "[]", "\"x\"", "42"}) {
            Reply reply = api().post("/v1/tenant", body);
            assertEquals(400, reply.status(), body + " -> " + reply);
            assertTrue(reply.msg().contains("expected a JSON object"), reply.msg());
        }
    }

    @Test
    void bodyWithoutContentTypeIsStillRead() {
        Reply reply = api().send(HttpRequest.POST("/v1/tenant", "{\"gc_horizon\": 5}".getBytes()));
        assertEquals(201, reply.status(), reply::toString);
    }

    @Test
    void bodyAboveTheLimitIs413() {
        String big = "{\"x\": \"" + "a".repeat(100_000) + "\"}";
        Reply reply = api().post("/v1/tenant", big);
        assertEquals(413, reply.status(), reply::toString);
        assertTrue(reply.msg().length() > 0);
    }

    @Test
    void unexpectedFailureIs500WithItsKindAndReasonOnly() {
        store.failSaves("disk on fire");
        try {
            Reply reply = api().post("/v1/tenant", "{}");
            assertEquals(500, reply.status(), reply::toString);
            assertEquals("{\"msg\":\"IllegalStateException: disk on fire\"}", reply.body());
        } finally {
            store.failSaves(null);
        }
    }

    @Test
    void anUnexpectedFailureNamingAPathKeepsThePathToTheLog() {
        store.failSaves("cannot write /srv/pageserver/metadata/pageserver.mv.db");
        try {
            Reply reply = api().post("/v1/tenant", "{}");
            assertEquals(500, reply.status(), reply::toString);
            assertEquals("{\"msg\":\"IllegalStateException\"}", reply.body());
        } finally {
            store.failSaves(null);
        }
    }

    @Test
    void errorsFromTheUseCasesAreJson() {
        Reply reply = api().get("/v1/tenant/" + "0".repeat(32));
        assertEquals(404, reply.status());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        assertEquals("{\"msg\":\"NotFound: tenant 00000000000000000000000000000000\"}", reply.body());
    }
}
