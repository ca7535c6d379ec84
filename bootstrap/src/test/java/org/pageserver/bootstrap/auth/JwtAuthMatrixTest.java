package org.pageserver.bootstrap.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pageserver.adapters.http.auth.TenantInBody;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * NeonJWT through the running application: every kind of token against every kind of endpoint,
 * with Neon's statuses and messages. The keys (Ed25519, RSA, EC) are made here and written as PEM
 * files into a key directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthMatrixTest {
    static final String MISSING = "Unauthorized: missing authorization header";
    static final String MALFORMED_HEADER = "Unauthorized: malformed authorization header";
    static final String MALFORMED_TOKEN = "Unauthorized: malformed jwt token";
    static final String MANAGEMENT = "Forbidden: Attempt to access management api with tenant scope. Permission denied";
    static final String MISMATCH = "Forbidden: Tenant id mismatch. Permission denied";
    static final String SAFEKEEPER = "Forbidden: SafekeeperData scope makes no sense for Pageserver";

    final SigningKey ed = SigningKey.ed25519();
    final SigningKey rsa = SigningKey.rsa();
    final SigningKey ec = SigningKey.ecP256();
    final String tenantA = TenantId.generate().toString();
    final String tenantB = TenantId.generate().toString();

    EmbeddedServer server;
    AuthClient client;
    String admin;

    @BeforeAll
    void start() throws IOException {
        Path keys = Files.createTempDirectory("pageserver-keys");
        ed.writePublic(keys.resolve("ed25519.pem"));
        rsa.writePublic(keys.resolve("rsa.pem"));
        ec.writePublic(keys.resolve("ec.pem"));
        // Not read: the key directory is not searched recursively.
        Files.createDirectory(keys.resolve("nested"));
        Files.writeString(keys.resolve("nested").resolve("garbage.pem"), "not a key");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "pageserver.workdir", Files.createTempDirectory("pageserver-auth").toString(),
                "micronaut.server.port", "-1",
                "pageserver.http-auth-type", "NeonJWT",
                "pageserver.auth-validation-public-key-path", keys.toString()));
        client = new AuthClient(server);
        admin = ed.sign(Map.of("scope", "pageserverapi"));
        AuthClient.Answer created = client.send("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenantA + "\"}", admin);
        assertEquals(201, created.status(), created.toString());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String tenantToken(String tenant) {
        return ed.sign(Map.of("scope", "tenant", "tenant_id", tenant));
    }

    private static void assertAnswer(int status, String msg, AuthClient.Answer answer) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(msg, answer.msg(), answer.toString());
    }

    /** A HEAD answer has no body, so only its status can be checked. */
    private static void assertAnswer(String method, String path, int status, String msg, AuthClient.Answer answer) {
        String label = method + " " + path + ": " + answer;
        assertEquals(status, answer.status(), label);
        if (!method.equals("HEAD")) {
            assertEquals(msg, answer.msg(), label);
        }
    }

    @Test
    void statusAndApiDescriptionNeedNoToken() {
        assertEquals(200, client.get("/v1/status", null).status());
        assertEquals(200, client.sendRaw("GET", "/v1/status", null, "Basic bm9wZQ==").status());
        assertEquals(200, client.get("/swagger/pageserver-v1.yml", null).status());
        assertEquals(200, client.get("/swagger-ui/index.html", null).status());
        assertEquals(200, client.get("/metrics", null).status());
    }

    @Test
    void aRequestWithoutAValidTokenIsUnauthorized() {
        assertAnswer(401, MISSING, client.get("/v1/tenant", null));
        assertAnswer(401, MISSING, client.get("/v1/tenant/" + tenantA, null));
        assertAnswer(401, MISSING, client.get("/v1/no/such/path", null));
        assertAnswer(401, MALFORMED_HEADER, client.sendRaw("GET", "/v1/tenant", null, "Basic bm9wZQ=="));
        assertAnswer(401, MALFORMED_HEADER, client.sendRaw("GET", "/v1/tenant", null, "bearer " + admin));
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", "garbage"));
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", "a.b.c"));
        // Signed by a key the server does not know.
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", SigningKey.ed25519().sign(Map.of("scope", "pageserverapi"))));
        // A valid signature over other claims than the ones sent.
        String[] parts = admin.split("\\.");
        String forged = tenantToken(tenantA).split("\\.")[0] + "." + tenantToken(tenantA).split("\\.")[1] + "." + parts[2];
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", forged));
        // Unsigned ("alg": "none").
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", "eyJhbGciOiJub25lIn0."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"scope\":\"pageserverapi\"}".getBytes())
                + "."));
    }

    @Test
    void expIsEnforcedWhenPresent() {
        long now = Instant.now().getEpochSecond();
        String expired = ed.sign(Map.of("scope", "pageserverapi", "exp", now - 10));
        String valid = ed.sign(Map.of("scope", "pageserverapi", "exp", now + 600));
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", expired));
        assertEquals(200, client.get("/v1/tenant", valid).status());
    }

    @Test
    void claimsNeonCannotReadMakeABadToken() {
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", ed.sign(Map.of("scope", "generations_api"))));
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant", ed.sign(Map.of("sub", "someone"))));
        assertAnswer(401, MALFORMED_TOKEN, client.get("/v1/tenant/" + tenantA,
                ed.sign(Map.of("scope", "tenant", "tenant_id", "not-hex"))));
    }

    @Test
    void everyKeyTypeAuthenticates() {
        for (SigningKey key : List.of(ed, rsa, ec)) {
            AuthClient.Answer answer = client.get("/v1/tenant", key.sign(Map.of("scope", "pageserverapi")));
            assertEquals(200, answer.status(), key.algorithm() + ": " + answer);
        }
        AuthClient.Answer tenant = client.get("/v1/tenant/" + tenantA, rsa.sign(Map.of("scope", "tenant", "tenant_id", tenantA)));
        assertEquals(200, tenant.status(), tenant.toString());
    }

    @Test
    void pageserverApiReachesEverything() {
        assertEquals(200, client.get("/v1/tenant", admin).status());
        assertEquals(200, client.get("/v1/tenant/" + tenantA, admin).status());
        assertEquals(200, client.get("/v1/tenant/" + tenantA + "/timeline", admin).status());
        assertEquals(200, client.get("/v1/tenant/" + tenantA + "/config", admin).status());
        assertEquals(200, client.send("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenantA + "\"}", admin).status());
        assertEquals(404, client.get("/v1/no/such/path", admin).status());
    }

    @Test
    void aTenantTokenReachesItsTenantOnly() {
        String own = tenantToken(tenantA);
        assertEquals(200, client.get("/v1/tenant/" + tenantA, own).status());
        assertEquals(200, client.get("/v1/tenant/" + tenantA + "/timeline", own).status());
        assertEquals(200, client.get("/v1/tenant/" + tenantA + "/config", own).status());
        AuthClient.Answer timeline = client.send("POST", "/v1/tenant/" + tenantA + "/timeline",
                "{\"new_timeline_id\":\"" + TimelineId.generate() + "\",\"pg_version\":16}", own);
        assertEquals(201, timeline.status(), timeline.toString());
        assertEquals(200, client.send("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenantA + "\"}", own).status());
        // Upper-case hex names the same tenant.
        assertEquals(200, client.get("/v1/tenant/" + tenantA.toUpperCase(), own).status());

        String other = tenantToken(tenantB);
        assertAnswer(403, MISMATCH, client.get("/v1/tenant/" + tenantA, other));
        assertAnswer(403, MISMATCH, client.get("/v1/tenant/" + tenantA + "/timeline", other));
        assertAnswer(403, MISMATCH, client.send("DELETE", "/v1/tenant/" + tenantA, null, other));
        assertAnswer(403, MISMATCH, client.send("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenantA + "\"}", other));

        assertAnswer(403, MANAGEMENT, client.get("/v1/tenant", own));
        assertAnswer(403, MANAGEMENT, client.send("POST", "/v1/tenant", "{}", own));
        assertAnswer(403, MANAGEMENT, client.send("POST", "/v1/reload_auth_validation_keys", null, own));
        // Neon authenticates before routing; what a valid token then finds is the 404.
        assertEquals(404, client.get("/v1/no/such/path", own).status());
    }

    @Test
    void aBadRequestIsA400BeforeAny403() {
        String other = tenantToken(tenantB);
        AuthClient.Answer badPath = client.get("/v1/tenant/not-a-tenant", other);
        assertEquals(400, badPath.status(), badPath.toString());
        AuthClient.Answer badBody = client.send("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenantA + "\",\"nope\":1}", other);
        assertEquals(400, badBody.status(), badBody.toString());
        AuthClient.Answer noTenant = client.send("PUT", "/v1/tenant/config", "{}", other);
        assertEquals(400, noTenant.status(), noTenant.toString());
    }

    @Test
    void aTenantTokenWithoutTenantIdReachesNothing() {
        String token = ed.sign(Map.of("scope", "tenant"));
        assertAnswer(403, MISMATCH, client.get("/v1/tenant/" + tenantA, token));
        assertAnswer(403, MISMATCH, client.send("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenantA + "\"}", token));
        assertAnswer(403, MANAGEMENT, client.get("/v1/tenant", token));
    }

    @Test
    void safekeeperDataReachesNothing() {
        String token = ed.sign(Map.of("scope", "safekeeperdata"));
        assertAnswer(403, SAFEKEEPER, client.get("/v1/tenant", token));
        assertAnswer(403, SAFEKEEPER, client.get("/v1/tenant/" + tenantA, token));
        assertAnswer(403, SAFEKEEPER, client.send("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenantA + "\"}", token));
        assertEquals(200, client.get("/v1/status", token).status());
    }

    /**
     * Every route the application serves, the ones added later included: no token is a 401; a
     * route with a tenant in its path refuses another tenant's token and lets that tenant's own
     * token through to the endpoint; any other route but the status refuses a tenant token. The
     * tenant in the paths does not exist, so that no call changes anything.
     */
    @Test
    void everyRouteIsGuarded() {
        String absent = TenantId.generate().toString();
        List<String> checked = new ArrayList<>();
        server.getApplicationContext().getBean(Router.class).uriRoutes().forEach(route -> {
            String path = expand(route, absent);
            String method = route.getHttpMethod().name();
            String body = route.getHttpMethod() == HttpMethod.GET || route.getHttpMethod() == HttpMethod.DELETE ? null : "{}";
            // Open to anyone, as in Neon (statusAndApiDescriptionNeedNoToken).
            if (path.equals("/v1/status") || path.equals("/metrics")) {
                return;
            }
            assertAnswer(method, path, 401, MISSING, client.send(method, path, body, null));
            boolean tenantInPath = route.getUriMatchTemplate().getVariableNames().contains("tenant_id");
            if (tenantInPath) {
                assertAnswer(method, path, 403, MISMATCH, client.send(method, path, body, tenantToken(tenantB)));
                AuthClient.Answer own = client.send(method, path, body, tenantToken(absent));
                assertTrue(own.status() != 401 && own.status() != 403, method + " " + path + ": " + own);
            } else if (!route.getAnnotationMetadata().hasAnnotation(TenantInBody.class)) {
                assertAnswer(method, path, 403, MANAGEMENT, client.send(method, path, body, tenantToken(absent)));
            }
            checked.add(method + " " + path);
        });
        assertTrue(checked.size() >= 10, "routes walked: " + checked);
    }

    private static String expand(UriRouteInfo<?, ?> route, String tenant) {
        Map<String, Object> values = new HashMap<>();
        for (String name : route.getUriMatchTemplate().getVariableNames()) {
            values.put(name, switch (name) {
                case "tenant_id" -> tenant;
                case "timeline_id" -> TimelineId.generate().toString();
                default -> "0";
            });
        }
        return route.getUriMatchTemplate().expand(values);
    }
}
