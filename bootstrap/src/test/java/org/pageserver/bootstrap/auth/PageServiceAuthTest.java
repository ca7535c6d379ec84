package org.pageserver.bootstrap.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pageserver.adapters.http.pageservice.PageService;
import org.pageserver.bootstrap.e2e.PageServiceClient;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * The page service with {@code pg-auth-type: NeonJWT} (the HTTP API on Trust): the token is the
 * password, asked for with AuthenticationCleartextPassword, checked as the HTTP API checks
 * bearer tokens, and pagestream takes the tenant's own token or a pageserverapi one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageServiceAuthTest {
    private final SigningKey key = SigningKey.ed25519();
    private final String tenantA = TenantId.generate().toString();
    private final String tenantB = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private EmbeddedServer server;
    private int port;

    @BeforeAll
    void start() throws IOException {
        Path keys = Files.createTempDirectory("pageserver-keys");
        key.writePublic(keys.resolve("ed25519.pem"));
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "pageserver.workdir", Files.createTempDirectory("pageserver-pg-auth").toString(),
                "micronaut.server.port", "-1",
                "pageserver.pg-auth-type", "NeonJWT",
                "pageserver.auth-validation-public-key-path", keys.toString()));
        AuthClient client = new AuthClient(server);
        for (String tenant : new String[] {tenantA, tenantB}) {
            assertEquals(201, client.send("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}", null).status());
            assertEquals(201, client.send("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\""
                    + timeline + "\"}", null).status());
        }
        port = server.getApplicationContext().getBean(PageService.class).port();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** Start-up with the password asked for and given; the messages after it, as bytes. */
    private PageServiceClient connect(String token, StringBuilder seen) {
        PageServiceClient client = new PageServiceClient(port);
        client.startup(Map.of("user", "no_user"));
        PageServiceClient.Message ask = client.read();
        assertEquals('R', ask.type());
        assertEquals("00000003", HexFormat.of().formatHex(ask.body()), "AuthenticationCleartextPassword");
        client.password(token);
        PageServiceClient.Message message;
        do {
            message = client.read();
            seen.append(message.type()).append(HexFormat.of().formatHex(message.body())).append(' ');
        } while (message.type() != 'Z' && message.type() != 'E');
        return client;
    }

    @Test
    void aValidTokenIsTheTenantsOwnOrAPageserverApiOne() {
        StringBuilder seen = new StringBuilder();
        try (PageServiceClient client = connect(key.sign(Map.of("scope", "tenant", "tenant_id", tenantA)), seen)) {
            assertEquals("R00000000 S" + HexFormat.of().formatHex("client_encoding\0UTF8\0".getBytes()) + " Z49 ",
                    seen.toString(), "after a password, only these three, as Neon's");
            assertTrue(client.pagestream(tenantA, timeline), "its own tenant");
        }
        try (PageServiceClient client = connect(key.sign(Map.of("scope", "tenant", "tenant_id", tenantA)), new StringBuilder())) {
            client.query("pagestream " + tenantB + " " + timeline);
            PageServiceClient.Message denied = client.read();
            assertEquals("Tenant id mismatch. Permission denied", denied.field('M'));
            assertEquals('Z', client.read().type(), "the connection stays");
            assertTrue(client.pagestream(tenantA, timeline));
        }
        try (PageServiceClient client = connect(key.sign(Map.of("scope", "pageserverapi")), new StringBuilder())) {
            assertTrue(client.pagestream(tenantA, timeline));
        }
        try (PageServiceClient client = connect(key.sign(Map.of("scope", "pageserverapi")), new StringBuilder())) {
            assertTrue(client.pagestream(tenantB, timeline), "any tenant");
        }
        try (PageServiceClient client = connect(key.sign(Map.of("scope", "safekeeperdata")), new StringBuilder())) {
            client.query("pagestream " + tenantA + " " + timeline);
            assertEquals("SafekeeperData scope makes no sense for Pageserver", client.read().field('M'));
        }
    }

    @Test
    void aBadTokenEndsTheConnection() {
        String expired = key.sign(Map.of("scope", "pageserverapi", "exp", Instant.now().minusSeconds(60).getEpochSecond()));
        String otherKey = SigningKey.ed25519().sign(Map.of("scope", "pageserverapi"));
        for (String token : new String[] {"not a token", otherKey, expired, key.sign(Map.of("scope", "nothing"))}) {
            StringBuilder seen = new StringBuilder();
            try (PageServiceClient client = connect(token, seen)) {
                assertTrue(seen.toString().startsWith("E"), seen.toString());
                assertTrue(client.closedByServer(), "closed after the error");
            }
            assertTrue(seen.toString().contains(HexFormat.of().formatHex("JWT authentication error".getBytes())), seen.toString());
        }
    }
}
