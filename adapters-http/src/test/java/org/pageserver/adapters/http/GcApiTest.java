package org.pageserver.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.domain.error.PageserverException;

/** PUT …/do_gc: its body forms, its answer, its errors. */
@MicronautTest
class GcApiTest extends DataPlaneTestBase {

    @Test
    void answersNeonsGcResultObjectAndPassesTheHorizonOrNone() {
        for (String body : new String[] {null, "", "{}", "{\"gc_horizon\":null}", "{\"gc_horizon\":1000,\"other\":1}"}) {
            Reply reply = api().put(path("do_gc"), body);
            assertEquals(200, reply.status(), body + " -> " + reply);
            assertEquals("{\"layers_total\":7,\"layers_needed_by_cutoff\":1,\"layers_needed_by_pitr\":2,"
                    + "\"layers_needed_by_branches\":1,\"layers_not_updated\":1,\"layers_removed\":2,\"elapsed\":3}", reply.body());
        }
        assertEquals(Arrays.asList(null, null, null, null, 1000L), timeline().gcHorizons);
    }

    @Test
    void aBadHorizonIs400NamingTheField() {
        for (String body : new String[] {"{\"gc_horizon\":-1}", "{\"gc_horizon\":\"5\"}", "{\"gc_horizon\":1.5}", "[1]",
                "{\"gc_horizon\":"}) {
            Reply reply = api().put(path("do_gc"), body);
            assertEquals(400, reply.status(), body + " -> " + reply);
            assertTrue(reply.msg().contains("gc_horizon") || reply.msg().contains("json"), reply.msg());
        }
        assertTrue(timeline().gcHorizons.isEmpty(), "nothing reached the use case");
    }

    @Test
    void errorsKeepTheirStatus() {
        timeline().failure = PageserverException.notFound("Timeline " + tenant + "/" + timelineId + " was not found");
        assertEquals(404, api().put(path("do_gc"), null).status());
        timeline().failure = PageserverException.unavailable("Tenant " + tenant + " is not active");
        assertEquals(503, api().put(path("do_gc"), "{}").status());
    }
}
