package org.pageserver.bootstrap.hostile;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.pageserver.application.service.TenantManager;

/** The running application on a work directory, and the calls the hostile tests make to set it up and check it. */
final class Node implements AutoCloseable {
    final EmbeddedServer server;
    final RawHttp http;
    private final JsonMapper json;
    private final Path workdir;

    private Node(EmbeddedServer server, Path workdir) {
        this.server = server;
        this.http = new RawHttp(server.getURI());
        this.json = server.getApplicationContext().getBean(JsonMapper.class);
        this.workdir = workdir;
    }

    static Node start(Path workdir, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("pageserver.workdir", workdir.toString());
        all.put("micronaut.server.port", -1);
        Node node = new Node(ApplicationContext.run(EmbeddedServer.class, all), workdir);
        // A node answers 503 to tenant changes until its stored tenants are loaded, which runs in
        // the background after the server listens.
        TenantManager tenants = node.server.getApplicationContext().getBean(TenantManager.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!tenants.isStarted()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the node did not finish starting within 30 s");
            }
            sleep(10);
        }
        node.await("/v1/tenant", r -> r.status() == 200);
        return node;
    }

    RawHttp.Response call(String method, String path, String jsonBody) {
        try {
            return http.send(method, path, "application/json",
                    jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    RawHttp.Response binary(String path, byte[] body) {
        try {
            return http.send("POST", path, "application/octet-stream", body);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path, e);
        }
    }

    /** Whether the answer shows a path on the node: every file the node has lies in its work directory. */
    boolean namesAPath(RawHttp.Response response) {
        return response.text().contains(workdir.toString());
    }

    /** The answer's JSON body as maps, lists and scalars. */
    Object parse(RawHttp.Response response) {
        try {
            return json.readValue(response.body(), Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.text(), e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(RawHttp.Response response) {
        return (Map<String, Object>) parse(response);
    }

    @SuppressWarnings("unchecked")
    List<Object> array(RawHttp.Response response) {
        return (List<Object>) parse(response);
    }

    /** Repeats a GET until {@code done}: background deletions and start-up finish on their own time. */
    RawHttp.Response await(String path, Predicate<RawHttp.Response> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        RawHttp.Response last = call("GET", path, null);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting on " + path + ", last answer " + last.status() + " " + last.text());
            }
            sleep(20);
            last = call("GET", path, null);
        }
        return last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
