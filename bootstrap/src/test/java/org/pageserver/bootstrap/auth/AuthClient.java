package org.pageserver.bootstrap.auth;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP with a chosen {@code Authorization} header (or none), as a client of the server sends it. */
final class AuthClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final JsonMapper json;

    AuthClient(EmbeddedServer server) {
        this.base = server.getURI();
        this.json = server.getApplicationContext().getBean(JsonMapper.class);
    }

    record Answer(int status, String body, Object json) {
        /** The error message, or null for a body that is no {@code {"msg"}}. */
        String msg() {
            return json instanceof Map<?, ?> map && map.get("msg") instanceof String msg ? msg : null;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Sends with {@code Authorization: Bearer <token>}; a null token sends no header. */
    Answer send(String method, String path, String body, String token) {
        return sendRaw(method, path, body, token == null ? null : "Bearer " + token);
    }

    /** Sends with exactly this {@code Authorization} header, or none when null. */
    Answer sendRaw(String method, String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean isJson = response.headers().firstValue("Content-Type").orElse("").contains("json");
            Object parsed = isJson && !response.body().isBlank() ? json.readValue(response.body(), Object.class) : null;
            return new Answer(response.statusCode(), response.body(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path, String token) {
        return send("GET", path, null, token);
    }
}
