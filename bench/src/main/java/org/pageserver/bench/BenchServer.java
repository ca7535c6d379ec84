package org.pageserver.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pageserver.domain.lsn.Lsn;

/**
 * A server process that a bench starts and stops itself: {@code java <heap options> -jar <server
 * jar>} with its work directory, port and any other settings as system properties, its output
 * appended to a log file; and the HTTP calls the benches make to it, each on a connection of its
 * own. A server the bench did not stop (an exception, Ctrl-C) is killed when the bench's JVM exits.
 */
final class BenchServer {
    private final Process process;
    private final int port;
    private final long started;
    private final Thread killer;

    private BenchServer(Process process, int port, long started) {
        this.process = process;
        this.port = port;
        this.started = started;
        this.killer = new Thread(process::destroyForcibly, "kill-server-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts the server.
     *
     * @param heap       the JVM options, separated by spaces (such as {@code -Xms1g -Xmx1g})
     * @param properties more system properties, in order (such as {@code pageserver.remote-storage.local-path})
     */
    static BenchServer start(Path jar, String heap, Path workdir, int port, Map<String, Object> properties, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(heap.trim().split("\\s+")));
        command.add("-Dpageserver.workdir=" + workdir);
        command.add("-Dmicronaut.server.port=" + port);
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new BenchServer(process, port, started);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 60 s) and waits until it has exited. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // The JVM is exiting already: the hook kills a process that is gone, which is harmless.
        }
    }

    /** Nanoseconds since the start of the process. */
    long sinceStart() {
        return System.nanoTime() - started;
    }

    RawHttp connect() throws IOException {
        return new RawHttp("127.0.0.1", port);
    }

    /** Nanoseconds from the start of the process to the first 200 of /v1/status. */
    long awaitStatus() throws InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + ": see its log");
            }
            try (Socket probe = new Socket("127.0.0.1", port); RawHttp http = connect()) {
                if (http.get("/v1/status").status() == 200) {
                    return System.nanoTime() - started;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(5);
        }
    }

    /** Nanoseconds from the start of the process until the tenant list shows all {@code tenants}, every one Active. */
    long awaitAllActive(int tenants) throws IOException, InterruptedException {
        try (RawHttp http = connect()) {
            while (true) {
                RawHttp.Response list = http.get("/v1/tenant");
                String text = list.text();
                if (list.status() == 200 && text.split("\"id\"", -1).length - 1 == tenants
                        && !text.contains("\"Attaching\"") && !text.contains("\"Activating\"")
                        && !text.contains("\"Loading\"")) {
                    if (text.contains("\"Broken\"")) {
                        throw new IllegalStateException("a tenant is Broken after the restart: " + text);
                    }
                    return System.nanoTime() - started;
                }
                // Not more often: a list of 10,000 tenants is a megabyte the server makes each time.
                Thread.sleep(50);
            }
        }
    }

    /** The node's metrics, in the Prometheus text format. */
    String metrics() throws IOException {
        try (RawHttp http = connect()) {
            return http.get("/metrics").expect(200).text();
        }
    }

    /**
     * The value of one series in {@code metrics}, written as the server writes it (such as
     * {@code pageserver_evictions_total{cause="disk_usage_eviction"}}), or null if it is absent.
     */
    static String metric(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return line.substring(series.length() + 1).trim();
            }
        }
        return null;
    }

    /** The value of one series as a number, 0 if it is absent (a counter nothing has counted yet). */
    static double metricValue(String metrics, String series) {
        String value = metric(metrics, series);
        return value == null ? 0 : Double.parseDouble(value);
    }

    /** @param config the tenant's settings, as JSON fields without braces (may be empty) */
    void createTenant(String id, String config) throws IOException {
        try (RawHttp http = connect()) {
            http.send("POST", "/v1/tenant", "application/json", ("{\"new_tenant_id\":\"" + id + "\""
                    + (config.isEmpty() ? "" : "," + config) + "}").getBytes(StandardCharsets.UTF_8)).expect(201);
        }
    }

    void createTimeline(String tenant, String id) throws IOException {
        try (RawHttp http = connect()) {
            http.send("POST", "/v1/tenant/" + tenant + "/timeline", "application/json",
                    ("{\"new_timeline_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)).expect(201);
        }
    }

    /** One ingest request: {@code body} is WAL records as WalEncoder writes them. */
    void ingest(String tenant, String timeline, byte[] body) throws IOException {
        try (RawHttp http = connect()) {
            http.send("POST", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal", "application/octet-stream", body)
                    .expect(200);
        }
    }

    /** Flushes what the timeline holds in memory to a layer file. */
    void checkpoint(String tenant, String timeline) throws IOException {
        try (RawHttp http = connect()) {
            http.send("PUT", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/checkpoint", "application/json",
                    new byte[0]).expect(200);
        }
    }

    /** Waits until the timeline's remote_consistent_lsn is {@code last}: an uploaded index names every layer up to it. */
    void awaitRemoteConsistent(String tenant, String timeline, Lsn last) throws IOException, InterruptedException {
        try (RawHttp http = connect()) {
            while (!http.get("/v1/tenant/" + tenant + "/timeline/" + timeline).text()
                    .contains("\"remote_consistent_lsn\":\"" + last + "\"")) {
                Thread.sleep(2);
            }
        }
    }
}
