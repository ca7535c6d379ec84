package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.web.router.Router;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * Thousands of random and mutated requests at every route the running application serves. For
 * each: an answer within the client's timeout, never a 5xx but 503 (the documented "retry"), on
 * every error a {@code {"msg"}} JSON body in the server's own words (no parser or framework
 * internals), and never a path of the node (the work directory). Afterwards, and again after a
 * restart, the tenants the fuzzer never named read exactly as before, and the work directory holds
 * nothing outside its layout.
 *
 * <p>Replay a run with {@code -Dhostile.fuzz.seed=<seed printed on failure>}; {@code -Dhostile.fuzz.cases=N}
 * sets the number of cases.
 */
class RequestFuzzTest {
    /**
     * The only 503s a client may see are the documented "try again" answers: an LSN that has not
     * arrived within the wait (docs/data-plane.md, "Reads"), a tenant or timeline not Active yet or
     * stopping, a tenant being changed by another call, a detach whose uploads have not caught up
     * (docs/remote-storage.md). Any other 503 is a fault like a 500.
     */
    private static boolean isDocumentedRetry(String body) {
        return body.contains("Timed out while waiting for WAL record") || body.contains("is not active")
                || body.contains("being modified concurrently") || body.contains("is stopping")
                || body.contains("is starting") || body.contains("is broken")
                || body.contains("remote storage has not caught up");
    }

    /**
     * What a message written for clients never holds: class and package names, the JSON parser's
     * source markers and positions, conversion errors worded for programmers.
     */
    private static final List<String> INTERNALS = List.of("Exception", "exception", "com.fasterxml", "io.micronaut",
            "java.", "[Source:", "REDACTED", "StreamReadFeature", "line: ", "column: ", "due to:", "For input string");

    private static final long SEED = Long.getLong("hostile.fuzz.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("hostile.fuzz.cases", 3000);
    /** Cases between two re-creations of the fuzzer's targets, which it deletes now and then. */
    private static final int RESEED_EVERY = 200;

    @TempDir
    Path workdir;

    private final List<String> tenants = new ArrayList<>();
    private final List<String> timelines = new ArrayList<>();

    @Test
    void noRequestCrashesHangsOrReachesAnotherTenant() {
        System.out.println("RequestFuzzTest: seed " + SEED + ", " + CASES + " cases");
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Bystanders bystanders;
        Map<String, String> before;
        try (Node node = Node.start(workdir, Map.of("pageserver.wait-lsn-timeout", "50ms"))) {
            bystanders = Bystanders.create(node, 2);
            before = bystanders.snapshot(node);
            List<Routes.Route> routes = Routes.of(node.server.getApplicationContext().getBean(Router.class));
            for (int i = 0; i < 3; i++) {
                tenants.add(TenantId.generate().toString());
                timelines.add(TimelineId.generate().toString());
                timelines.add(TimelineId.generate().toString());
            }
            RequestGenerator generator = new RequestGenerator(SEED, routes, tenants, timelines);
            long start = System.nanoTime();
            for (int i = 0; i < CASES; i++) {
                if (i % RESEED_EVERY == 0) {
                    recreateTargets(node);
                }
                RequestGenerator.FuzzCase fuzzCase = generator.generate(i);
                String failure = check(node, fuzzCase, statuses);
                if (failure != null) {
                    failures.add(fuzzCase.describe() + "\n    -> " + failure);
                }
            }
            System.out.printf("RequestFuzzTest: %d cases over %d routes in %d ms; statuses %s%n", CASES, routes.size(),
                    (System.nanoTime() - start) / 1_000_000, statuses);
            assertTrue(failures.isEmpty(), "seed " + SEED + ": " + failures.size() + " bad answers, the first:\n"
                    + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
            bystanders.assertUnchanged(before, node, "seed " + SEED + ": a tenant the fuzzer never named changed");
        }
        // A stop keeps the ingest files of batches not yet flushed; the start seals them into layer
        // files and finishes the deletions the stop cut short, and only then is the layout checked.
        // A tenant the fuzzer left ignored keeps its files, ingest files too, until a load seals them.
        try (Node node = Node.start(workdir, Map.of())) {
            bystanders.assertUnchanged(before, node, "seed " + SEED + ": a bystander tenant after a restart");
            loadIgnored(node);
        }
        assertEquals(List.of(), WorkdirLayout.strayPaths(workdir), "seed " + SEED + ": paths outside the work directory's layout");
    }

    /** The fuzzer's own tenants, each with a root timeline and a branch, made again if a case deleted them. */
    private void recreateTargets(Node node) {
        for (int t = 0; t < tenants.size(); t++) {
            String tenant = tenants.get(t);
            node.await("/v1/tenant/" + tenant, r -> r.status() == 404 || r.text().contains("\"Active\""));
            node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}");
            String root = timelines.get(2 * t);
            node.call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + root + "\"}");
            node.call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timelines.get(2 * t + 1)
                    + "\",\"ancestor_timeline_id\":\"" + root + "\"}");
        }
    }

    /** Loads each of the fuzzer's tenants that a case ignored (an ignored tenant answers 404 and keeps its files). */
    private void loadIgnored(Node node) {
        for (String tenant : tenants) {
            if (node.call("GET", "/v1/tenant/" + tenant, null).status() == 404
                    && node.call("POST", "/v1/tenant/" + tenant + "/load", "{}").status() == 202) {
                node.await("/v1/tenant/" + tenant, r -> r.text().contains("\"Active\""));
            }
        }
    }

    /** What is wrong with the answer to one case, or null. */
    private static String check(Node node, RequestGenerator.FuzzCase fuzzCase, Map<Integer, Integer> statuses) {
        RawHttp.Response response;
        try {
            response = node.http.send(fuzzCase.method(), fuzzCase.target(), fuzzCase.contentType(), fuzzCase.body());
        } catch (RawHttp.Hung e) {
            return "hung: " + e.getMessage();
        } catch (IOException e) {
            return "no answer: " + e;
        }
        statuses.merge(response.status(), 1, Integer::sum);
        if (node.namesAPath(response)) {
            return response.status() + " naming a path of the node: " + response.text();
        }
        // A HEAD answer has no body to tell a documented 503 by; GET answers of the same routes are checked in full.
        boolean documented503 = response.status() == 503
                && (fuzzCase.method().equals("HEAD") || isDocumentedRetry(response.text()));
        if (response.status() >= 500 && !documented503) {
            return response.status() + " " + response.text();
        }
        if (response.status() < 400 || fuzzCase.method().equals("HEAD")) {
            return null;
        }
        if (!response.contentType().startsWith("application/json")) {
            return response.status() + " with Content-Type '" + response.contentType() + "': " + response.text();
        }
        try {
            Object msg = node.object(response).get("msg");
            if (!(msg instanceof String text)) {
                return response.status() + " without a msg: " + response.text();
            }
            return INTERNALS.stream().anyMatch(text::contains)
                    ? response.status() + " showing the parser's or the framework's internals: " + text : null;
        } catch (RuntimeException e) {
            return response.status() + " with a body that is no JSON object: " + response.text();
        }
    }
}
