package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.web.router.Router;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * No id reaches the file system unchecked: names that climb out of a directory, in the path
 * (raw, percent-encoded, with NULs) or in a JSON body, are refused on every route that takes an
 * id, and the work directory holds only its own layout afterwards.
 */
class PathSafetyTest {
    private static final List<String> CLIMBING = List.of("..", "../../etc", "..%2F..%2Fetc", "%2e%2e",
            "%2e%2e%2f%2e%2e%2fetc", "..%5C..%5Cetc", "%00", "0123456789abcdef0123456789abcdef%00", "%2F",
            "0123456789abcdef0123456789abcdef%2F..", "0123456789ABCDEF0123456789ABCDEF..");

    @TempDir
    Path workdir;

    @Test
    void climbingIdsAreRefusedOnEveryRouteAndNothingLandsOutsideTheLayout() {
        List<String> wrong = new ArrayList<>();
        try (Node node = Node.start(workdir, Map.of())) {
            String tenant = TenantId.generate().toString();
            String timeline = TimelineId.generate().toString();
            assertEquals(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
            assertEquals(201, node.call("POST", "/v1/tenant/" + tenant + "/timeline",
                    "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            List<Routes.Route> routes = Routes.of(node.server.getApplicationContext().getBean(Router.class)).stream()
                    .filter(route -> route.template().contains("{") && !route.method().equals("HEAD")).toList();
            assertTrue(routes.size() > 10, "routes with ids: " + routes);
            for (Routes.Route route : routes) {
                for (String climbing : CLIMBING) {
                    for (String variable : List.of("tenant_id", "timeline_id")) {
                        if (!route.template().contains("{" + variable + "}")) {
                            continue;
                        }
                        String path = route.fill(name -> name.equals(variable) ? climbing
                                : name.equals("tenant_id") ? tenant : timeline);
                        String body = route.isIngest() || route.isPageBatch() ? "x" : "{}";
                        RawHttp.Response response = node.call(route.method(), path, route.method().equals("GET")
                                || route.method().equals("DELETE") ? null : body);
                        if (!Set.of(400, 404).contains(response.status()) || !response.text().contains("\"msg\"")) {
                            wrong.add(route.method() + " " + path + " -> " + response.status() + " " + response.text());
                        }
                    }
                }
            }
            for (String climbing : List.of("../../etc", "..\\u002F..", "0123456789abcdef0123456789abcdef\\u0000")) {
                expectBadRequest(node, wrong, "POST", "/v1/tenant", "{\"new_tenant_id\":\"" + climbing + "\"}");
                expectBadRequest(node, wrong, "PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + climbing + "\"}");
                for (String field : List.of("new_timeline_id", "ancestor_timeline_id")) {
                    expectBadRequest(node, wrong, "POST", "/v1/tenant/" + tenant + "/timeline",
                            "{\"" + field + "\":\"" + climbing + "\"}");
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(List.of(), WorkdirLayout.strayPaths(workdir));
    }

    private static void expectBadRequest(Node node, List<String> wrong, String method, String path, String body) {
        RawHttp.Response response = node.call(method, path, body);
        if (response.status() != 400 || !response.text().contains("\"msg\"")) {
            wrong.add(method + " " + path + " " + body + " -> " + response.status() + " " + response.text());
        }
    }
}
