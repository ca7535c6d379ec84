package org.pageserver.bootstrap.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;

/** {@code POST /v1/reload_auth_validation_keys} against a key directory the test changes under the running server. */
class KeyReloadTest {
    private static final String RELOAD = "/v1/reload_auth_validation_keys";
    private static final Map<String, Object> ADMIN = Map.of("scope", "pageserverapi");

    @TempDir
    Path keys;
    @TempDir
    Path workdir;

    final SigningKey first = SigningKey.ed25519();
    final SigningKey second = SigningKey.rsa();
    EmbeddedServer server;
    AuthClient client;

    @BeforeEach
    void start() {
        first.writePublic(keys.resolve("first.pem"));
        server = run(keys);
        client = new AuthClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private EmbeddedServer run(Path keyPath) {
        return ApplicationContext.run(EmbeddedServer.class, Map.of(
                "pageserver.workdir", workdir.toString(),
                "micronaut.server.port", "-1",
                "pageserver.http-auth-type", "NeonJWT",
                "pageserver.auth-validation-public-key-path", keyPath.toString()));
    }

    private int list(SigningKey key) {
        return client.get("/v1/tenant", key.sign(ADMIN)).status();
    }

    private AuthClient.Answer reload(SigningKey key) {
        return client.send("POST", RELOAD, null, key.sign(ADMIN));
    }

    @Test
    void anAddedKeyCountsAtOnce() {
        assertEquals(401, list(second));
        second.writePublic(keys.resolve("second.pem"));
        // Nothing is re-read until the reload.
        assertEquals(401, list(second));

        AuthClient.Answer reloaded = reload(first);
        assertEquals(200, reloaded.status(), reloaded.toString());
        assertEquals("null", reloaded.body());
        assertEquals(200, list(second));
        assertEquals(200, list(first));
    }

    @Test
    void aRemovedKeyCountsNoMore() throws IOException {
        second.writePublic(keys.resolve("second.pem"));
        assertEquals(200, reload(first).status());
        Files.delete(keys.resolve("first.pem"));

        assertEquals(200, reload(second).status());
        AuthClient.Answer refused = client.get("/v1/tenant", first.sign(ADMIN));
        assertEquals(401, refused.status(), refused.toString());
        assertEquals("Unauthorized: malformed jwt token", refused.msg());
        assertEquals(200, list(second));
    }

    @Test
    void aBrokenKeyFileFailsTheReloadAndTheOldKeysStay() throws IOException {
        second.writePublic(keys.resolve("second.pem"));
        Files.writeString(keys.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

        AuthClient.Answer failed = reload(first);
        assertEquals(500, failed.status(), failed.toString());
        assertTrue(failed.msg().contains("broken.pem"), failed.msg());
        assertEquals(200, list(first));
        // The good file beside the broken one was not taken in either: the set is swapped whole or not at all.
        assertEquals(401, list(second));
    }

    @Test
    void anEmptyKeyDirectoryFailsTheReload() throws IOException {
        Files.delete(keys.resolve("first.pem"));
        AuthClient.Answer failed = reload(first);
        assertEquals(500, failed.status(), failed.toString());
        assertTrue(failed.msg().contains("no public key"), failed.msg());
        assertEquals(200, list(first));
    }

    @Test
    void onlyThePageserverApiScopeMayReload() {
        String tenant = first.sign(Map.of("scope", "tenant", "tenant_id", TenantId.generate().toString()));
        AuthClient.Answer refused = client.send("POST", RELOAD, null, tenant);
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("Forbidden: Attempt to access management api with tenant scope. Permission denied", refused.msg());
        assertEquals(401, client.send("POST", RELOAD, null, null).status());
    }

    @Test
    void aSingleKeyFileIsAKeyPathToo() {
        server.close();
        server = run(keys.resolve("first.pem"));
        client = new AuthClient(server);
        assertEquals(200, list(first));
        assertEquals(200, reload(first).status());
    }

    @Test
    void aBadKeySetStopsTheStart() throws IOException {
        Path empty = Files.createDirectory(workdir.resolve("no-keys"));
        assertTrue(rootMessage(assertThrows(RuntimeException.class, () -> run(empty).close()))
                .startsWith("no public key in "));
        assertTrue(rootMessage(assertThrows(RuntimeException.class, () -> run(workdir.resolve("missing.pem")).close()))
                .endsWith("is neither a file nor a directory"));
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
