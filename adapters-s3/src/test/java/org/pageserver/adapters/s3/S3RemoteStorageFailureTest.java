package org.pageserver.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.remote.RemotePath;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What a real server seldom does on cue: a body cut short, no answer at all, a DeleteObjects that
 * fails for some keys. A JDK HTTP server plays the S3 endpoint and answers as each test tells it.
 */
class S3RemoteStorageFailureTest {
    private static final RemotePath LAYER = new RemotePath("tenants/a/timelines/b/layer");

    @TempDir
    Path local;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        stopped.countDown();
        if (server != null) {
            server.stop(0);
        }
        handlers.shutdownNow();
    }

    private S3RemoteStorage storageAnsweredBy(HttpHandler handler, int concurrencyLimit, Duration timeout)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.setExecutor(handlers);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new S3RemoteStorage(new S3Settings("bucket", "us-east-1", null, endpoint, concurrencyLimit, timeout),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")));
    }

    @Test
    void aBodyCutShortLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path existing = Files.write(local.resolve("existing"), "old".getBytes());
        Path absent = local.resolve("absent");
        try (S3RemoteStorage storage = storageAnsweredBy(exchange -> {
            exchange.sendResponseHeaders(200, 1 << 20);
            exchange.getResponseBody().write(new byte[1000]);
            exchange.close();
        }, 4, Duration.ofSeconds(10))) {
            assertThrows(UncheckedIOException.class, () -> storage.download(LAYER, existing));
            assertThrows(UncheckedIOException.class, () -> storage.download(LAYER, absent));
        }

        assertArrayEquals("old".getBytes(), Files.readAllBytes(existing));
        assertFalse(Files.exists(absent));
        try (Stream<Path> files = Files.list(local)) {
            assertEquals(List.of(existing), files.toList());
        }
    }

    @Test
    void aServerThatNeverAnswersFailsTheCallAtTheTimeout() throws IOException {
        try (S3RemoteStorage storage = storageAnsweredBy(this::neverAnswer, 4, Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            assertThrows(UncheckedIOException.class, () -> storage.download(LAYER));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        }
    }

    /** Without the bound on the wait, the second call would take two timeouts: its wait, then its own call. */
    @Test
    void theTimeoutBoundsTheWaitForAPermitToo() throws Exception {
        try (S3RemoteStorage storage = storageAnsweredBy(this::neverAnswer, 1, Duration.ofSeconds(2))) {
            long start = System.nanoTime();
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> storage.download(LAYER));
            Thread.sleep(200);
            assertThrows(UncheckedIOException.class, () -> storage.download(LAYER));
            Duration second = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(second.compareTo(Duration.ofMillis(3500)) < 0, "the second call took " + second);
            assertThrows(Exception.class, first::join);
        }
    }

    @Test
    void aDeletionThatFailsForSomeKeysNamesThemAndOnlyThem() throws IOException {
        String answer = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Error><Key>tenants/a/denied</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
                + "<Error><Key>tenants/a/gone</Key><Code>NoSuchKey</Code><Message>missing</Message></Error>"
                + "</DeleteResult>";
        try (S3RemoteStorage storage = storageAnsweredBy(exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }, 4, Duration.ofSeconds(10))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> storage.delete(List.of(
                    new RemotePath("tenants/a/denied"), new RemotePath("tenants/a/gone"), new RemotePath("tenants/a/ok"))));

            assertTrue(e.getMessage().contains("tenants/a/denied (AccessDenied"), e.getMessage());
            assertTrue(e.getMessage().contains("1 of 3"), e.getMessage());
            assertFalse(e.getMessage().contains("tenants/a/ok"), e.getMessage());
            assertFalse(e.getMessage().contains("tenants/a/gone"), e.getMessage());
        }
    }

    private void neverAnswer(HttpExchange exchange) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
