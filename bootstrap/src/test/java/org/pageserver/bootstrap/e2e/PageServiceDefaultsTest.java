package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.http.pageservice.PageService;

/**
 * The server on the settings a user starts it with (not the tests' environment, which gives every
 * page service a free port): the page service listens on Neon's 127.0.0.1:64000 and speaks.
 */
class PageServiceDefaultsTest {
    @TempDir
    Path workdir;

    @Test
    void withNoSettingThePageServiceListensOnNeonsPort() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 64000));
        } catch (IOException e) {
            assumeTrue(false, "port 64000 is taken on this machine: " + e.getMessage());
        }
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                .properties(Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1)).start()) {
            context.getBean(EmbeddedServer.class).start();
            assertEquals(64000, context.getBean(PageService.class).port());
            try (PageServiceClient client = new PageServiceClient(64000)) {
                assertEquals('N', client.sslRequest());
                client.connect();
            }
        }
    }
}
