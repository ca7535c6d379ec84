package org.pageserver.bootstrap.e2e;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A small HTTP client for the end-to-end tests: raw JSON out, status and parsed JSON back, so
 * that a test sees exactly what a client of the server sees (the JDK client, not the framework's).
 */
final class Api {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final JsonMapper json;

    Api(EmbeddedServer server) {
        this(server.getURI(), server.getApplicationContext().getBean(JsonMapper.class));
    }

    Api(URI base, JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    /** A binary answer: the status and the raw bytes (and the message, for an error). */
    record Bytes(int status, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    Bytes getBytes(String path) {
        return sendBytes(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Bytes postBytes(String path, byte[] body) {
        return sendBytes(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Posts a binary body and reads a JSON answer (ingest). */
    Response postBinary(String path, byte[] body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private Bytes sendBytes(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Bytes(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, String body, Object json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return (Map<String, Object>) json;
        }

        @SuppressWarnings("unchecked")
        List<Object> array() {
            return (List<Object>) json;
        }

        String msg() {
            return (String) object().get("msg");
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    Response post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response put(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Response send(HttpRequest.Builder request) {
        // A node that is still loading its tenants answers 503 to new work, as Neon's does; clients retry.
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        for (int attempt = 0; ; attempt++) {
            Response response = sendOnce(built);
            if (response.status() != 503 || !response.body().contains("is starting") || attempt == 200) {
                return response;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return response;
            }
        }
    }

    private Response sendOnce(HttpRequest built) {
        try {
            HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            boolean isJson = response.headers().firstValue("Content-Type").orElse("").contains("json");
            Object parsed = body == null || body.isBlank() || !isJson ? null : json.readValue(body, Object.class);
            return new Response(response.statusCode(), body, parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Repeats a GET until the response satisfies {@code done}, for the background work of deletes and start-up. */
    Response await(String path, Predicate<Response> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Response last = get(path);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting on " + path + ", last answer " + last.status() + " " + last.body());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = get(path);
        }
        return last;
    }
}
