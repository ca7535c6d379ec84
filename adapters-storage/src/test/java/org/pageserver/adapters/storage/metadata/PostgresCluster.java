package org.pageserver.adapters.storage.metadata;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster started from the machine's own binaries: initdb into a temporary
 * directory, pg_ctl start on a free port on 127.0.0.1 with trust authentication, and pg_ctl stop
 * plus removal of the directory at the end. PostgreSQL refuses to run as root, so under root every
 * command runs as the {@code postgres} OS user, which then owns the directory.
 */
final class PostgresCluster implements AutoCloseable {
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final String OS_USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final boolean asPostgresUser;
    private final int port;

    private PostgresCluster(Path bin, Path dir, boolean asPostgresUser, int port) {
        this.bin = bin;
        this.dir = dir;
        this.asPostgresUser = asPostgresUser;
        this.port = port;
    }

    /** Starts a cluster, or skips the calling test class through a JUnit assumption saying why it cannot. */
    static PostgresCluster startOrSkip() throws IOException, InterruptedException {
        Optional<Path> bin = newestBinaries();
        assumeTrue(bin.isPresent(), "PostgreSQL tests skipped: no initdb and pg_ctl under " + INSTALLATIONS + "/*/bin");
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(!root || run(List.of("id", "-u", OS_USER), null) == 0,
                "PostgreSQL tests skipped: running as root and there is no '" + OS_USER
                        + "' OS user to run initdb and pg_ctl as");
        Path dir = Files.createTempDirectory("pageserver-pg");
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(OS_USER));
        }
        PostgresCluster cluster = new PostgresCluster(bin.get(), dir, root, freePort());
        try {
            cluster.start();
        } catch (IOException | InterruptedException e) {
            cluster.deleteDirectory();
            throw e;
        }
        return cluster;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    String user() {
        return OS_USER;
    }

    private void start() throws IOException, InterruptedException {
        command(List.of(bin.resolve("initdb").toString(), "-D", dataDir(), "-U", OS_USER, "--auth=trust",
                "-E", "UTF8", "--locale=C"));
        command(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir(), "-l", dir.resolve("server.log").toString(),
                "-w", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            command(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir(), "-m", "fast", "-w", "stop"));
        } finally {
            deleteDirectory();
        }
    }

    private void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private String dataDir() {
        return dir.resolve("data").toString();
    }

    private void command(List<String> args) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(args);
        Path output = Files.createTempFile("pg-command", ".log");
        try {
            int exit = run(full, output);
            if (exit != 0) {
                throw new IOException(String.join(" ", full) + " exited with " + exit + ":\n" + Files.readString(output));
            }
        } finally {
            Files.delete(output);
        }
    }

    /** Output goes to a file, never a pipe: the server pg_ctl forks must not hold one of ours open. */
    private static int run(List<String> args, Path output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", args) + " did not finish within 60 s");
        }
        return process.exitValue();
    }

    private static Optional<Path> newestBinaries() throws IOException {
        if (!Files.isDirectory(INSTALLATIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        }
    }

    /** Installation folders are named by major version (15, 16, ...); compare them as numbers. */
    private static int versionOf(Path installation) {
        String name = installation.getFileName().toString();
        return name.chars().allMatch(Character::isDigit) ? Integer.parseInt(name) : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
