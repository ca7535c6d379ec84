package org.pageserver.adapters.http;

import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Supplier;
import org.pageserver.adapters.http.support.ApiClient;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.adapters.http.support.FakeDataPlane;
import org.pageserver.adapters.http.support.InMemoryStore;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every HTTP test needs: a client, the store and fake data plane behind the use cases, and tenant helpers. */
abstract class ApiTestBase {
    @Inject
    @Client("/")
    HttpClient httpClient;

    @Inject
    JsonMapper jsonMapper;

    @Inject
    InMemoryStore store;

    @Inject
    FakeDataPlane dataPlane;

    private ApiClient api;

    ApiClient api() {
        if (api == null) {
            api = new ApiClient(httpClient, jsonMapper);
        }
        return api;
    }

    /** Creates an Active tenant with a fresh id and no settings of its own. */
    String newTenant() {
        String id = TenantId.generate().toString();
        Reply reply = api().post("/v1/tenant", "{\"new_tenant_id\": \"" + id + "\"}");
        assertEquals(201, reply.status(), reply::toString);
        return id;
    }

    /** Creates a root timeline in the tenant. */
    String newTimeline(String tenantId) {
        String id = TimelineId.generate().toString();
        Reply reply = api().post("/v1/tenant/" + tenantId + "/timeline", "{\"new_timeline_id\": \"" + id + "\"}");
        assertEquals(201, reply.status(), reply::toString);
        return id;
    }

    /** Polls until the answer has the status, for work that finishes in the background. */
    static Reply awaitStatus(int status, Supplier<Reply> call) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Reply reply = call.get();
        while (reply.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
            reply = call.get();
        }
        assertEquals(status, reply.status(), reply::toString);
        return reply;
    }
}
