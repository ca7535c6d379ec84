package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.web.router.Router;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application serves the pageserver's API (and its /metrics, as Neon's does) and nothing else:
 * no framework endpoint that a library brought along (micronaut-flyway brings micronaut-management's
 * /beans, /refresh, ...).
 */
class ServedRoutesTest {

    @TempDir
    Path workdir;

    @Test
    void everyRouteIsThePageserversOwn() {
        try (Node node = Node.start(workdir, Map.of())) {
            List<String> foreign = Routes.of(node.server.getApplicationContext().getBean(Router.class)).stream()
                    .filter(route -> !route.template().startsWith("/v1/") && !route.template().equals("/metrics"))
                    .map(route -> route.method() + " " + route.template())
                    .toList();
            assertEquals(List.of(), foreign);
            for (String path : List.of("/health", "/info", "/beans", "/routes", "/threaddump", "/flyway")) {
                RawHttp.Response response = node.call("GET", path, null);
                assertEquals(404, response.status(), path + ": " + response.text());
                assertEquals("page not found", node.object(response).get("msg"));
            }
            assertEquals(404, node.call("POST", "/refresh", "{}").status());
        }
    }
}
