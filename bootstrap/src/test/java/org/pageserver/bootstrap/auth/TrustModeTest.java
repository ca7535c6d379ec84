package org.pageserver.bootstrap.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;

/** The default, Trust: no token is needed or read, and there are no keys to reload. */
class TrustModeTest {

    @TempDir
    Path workdir;

    @Test
    void everyoneReachesEverythingAndThereIsNothingToReload() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "pageserver.workdir", workdir.toString(), "micronaut.server.port", "-1"))) {
            AuthClient client = new AuthClient(server);
            assertEquals(200, client.get("/v1/tenant", null).status());
            assertEquals(200, client.sendRaw("GET", "/v1/tenant", null, "Bearer garbage").status());
            String tenant = TenantId.generate().toString();
            assertEquals(201, client.send("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}", null).status());
            assertEquals(200, client.send("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenant + "\"}", null).status());

            AuthClient.Answer reload = client.send("POST", "/v1/reload_auth_validation_keys", null, null);
            assertEquals(400, reload.status(), reload.toString());
            assertEquals("Cannot reload keys: http-auth-type is Trust, no keys are in use", reload.msg());
        }
    }

    @Test
    void aMisspeltAuthTypeStopsTheStart() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                EmbeddedServer.class, Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", "-1",
                        "pageserver.http-auth-type", "neonjwt")).close());
        assertEquals("pageserver.http-auth-type must be Trust or NeonJWT, not \"neonjwt\"",
                KeyReloadTest.rootMessage(failure));
    }
}
