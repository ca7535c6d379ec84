package org.pageserver.bootstrap.hostile;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.pageserver.domain.lsn.Lsn;

/**
 * Builds fuzz case {@code i} from {@code seed + i} alone, so that any failing case can be replayed
 * by its number. Ids are the fuzzer's own targets most of the time (to get past the id checks and
 * reach the deeper ones), fresh ones sometimes, hostile strings the rest; never a bystander's.
 */
final class RequestGenerator {
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "a/b/c;;;=", "application/json; charset=latin1", "*/*", "");

    record FuzzCase(int index, String method, String target, String contentType, byte[] body) {
        String describe() {
            String shown = target.length() > 300 ? target.substring(0, 300) + "...(" + target.length() + " chars)" : target;
            return "case " + index + ": " + method + " " + shown + (body == null ? "" : " [" + contentType + ", "
                    + body.length + " bytes" + (body.length <= 200 ? ": " + new String(body, StandardCharsets.UTF_8) : "") + "]");
        }
    }

    private final long seed;
    private final List<Routes.Route> routes;
    private final List<String> tenants;
    private final List<String> timelines;

    RequestGenerator(long seed, List<Routes.Route> routes, List<String> tenants, List<String> timelines) {
        this.seed = seed;
        this.routes = routes;
        this.tenants = tenants;
        this.timelines = timelines;
    }

    FuzzCase generate(int index) {
        Random random = new Random(seed + index);
        Routes.Route route = routes.get(random.nextInt(routes.size()));
        String method = random.nextInt(8) == 0 ? HostileValues.pick(random, METHODS) : route.method();
        String path = mutatePath(random, route.fill(name -> variable(random, name)));
        String target = path + query(random);
        if (method.equals("GET") || method.equals("DELETE") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return random.nextInt(10) == 0
                    ? new FuzzCase(index, method, target, "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                    : new FuzzCase(index, method, target, null, null);
        }
        if (random.nextInt(20) == 0) {
            return new FuzzCase(index, method, target, null, null);
        }
        byte[] body = route.isIngest() ? BinaryMutator.mutate(random, BinaryMutator.walBatch(random, Lsn.INITDB.plus(10_000L * index)))
                : route.isPageBatch() ? BinaryMutator.mutate(random, BinaryMutator.pageRequests(random))
                : JsonMutator.mutate(random, validJson(random, route));
        String contentType = random.nextInt(8) == 0 ? HostileValues.pick(random, CONTENT_TYPES)
                : route.isIngest() || route.isPageBatch() ? "application/octet-stream" : "application/json";
        return new FuzzCase(index, method, target, contentType, body);
    }

    private String variable(Random random, String name) {
        List<String> pool = name.equals("timeline_id") ? timelines : tenants;
        int roll = random.nextInt(10);
        if (roll < 6) {
            return pool.get(random.nextInt(pool.size()));
        } else if (roll == 6) {
            return pool.get(random.nextInt(pool.size())).toUpperCase();
        } else if (roll == 7) {
            return freshId(random);
        }
        return HostileValues.pick(random, HostileValues.SEGMENTS);
    }

    /** A well-formed id nobody holds yet, drawn from the case's own random source so that replays match. */
    private static String freshId(Random random) {
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }

    /** Path tricks around the filled template: dot segments, doubled or encoded slashes, extra segments. */
    private static String mutatePath(Random random, String path) {
        if (random.nextInt(5) != 0) {
            return path;
        }
        return switch (random.nextInt(6)) {
            case 0 -> path + "/";
            case 1 -> path.replaceFirst("/", "//");
            case 2 -> path + "/" + HostileValues.pick(random, HostileValues.SEGMENTS);
            case 3 -> path + "/..";
            case 4 -> path.replace("/timeline/", "/timeline/../timeline/");
            default -> path.replaceFirst("/tenant/", "/tenant%2F");
        };
    }

    private static String query(Random random) {
        int count = random.nextInt(4);
        if (count == 0) {
            return random.nextInt(10) == 0 ? "?" : "";
        }
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String name = HostileValues.pick(random, HostileValues.PARAMS);
            String value = HostileValues.forParam(random, name);
            int repeats = random.nextInt(6) == 0 ? 2 : 1;   // duplicates: Neon refuses them
            for (int r = 0; r < repeats; r++) {
                query.append(query.length() == 0 ? "?" : "&").append(encode(random, name)).append('=').append(encode(random, value));
            }
        }
        return query.toString();
    }

    /** Usually percent-encoded; sometimes raw, when that still leaves the request line parseable. */
    private static String encode(Random random, String text) {
        boolean rawIsSafe = text.chars().noneMatch(c -> c <= ' ' || c == '#' || c == 0x7F);
        return rawIsSafe && random.nextInt(3) == 0 ? text : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private Map<String, Object> validJson(Random random, Routes.Route route) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (route.template().endsWith("/timeline")) {
            body.put("new_timeline_id", random.nextBoolean() ? freshId(random)
                    : timelines.get(random.nextInt(timelines.size())));
            if (random.nextBoolean()) {
                body.put("ancestor_timeline_id", timelines.get(random.nextInt(timelines.size())));
                body.put("ancestor_start_lsn", Lsn.INITDB.plus(random.nextInt(100_000)).toString());
            }
            body.put("pg_version", 15);
            return body;
        }
        if (route.template().equals("/v1/tenant/config")) {
            body.put("tenant_id", tenants.get(random.nextInt(tenants.size())));
        } else if (route.template().equals("/v1/tenant")) {
            body.put("new_tenant_id", random.nextBoolean() ? freshId(random)
                    : tenants.get(random.nextInt(tenants.size())));
            body.put("generation", 1);
        } else {
            body.put("gc_horizon", 1024);
            body.put("evict_bytes", 1);
            return body;
        }
        body.put("checkpoint_distance", 268435456);
        body.put("gc_period", "30m");
        body.put("pitr_interval", "1day");
        body.put("compaction_threshold", 10);
        body.put("trace_read_requests", false);
        body.put("eviction_policy", Map.of("kind", "LayerAccessThreshold", "period", "10m", "threshold", "1day"));
        return body;
    }
}
