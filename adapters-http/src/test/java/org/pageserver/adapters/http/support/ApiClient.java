package org.pageserver.adapters.http.support;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Raw HTTP: every answer, success or error, comes back as status, content type and body bytes. */
public final class ApiClient {
    private static final Argument<byte[]> BYTES = Argument.of(byte[].class);

    private final HttpClient client;
    private final JsonMapper mapper;

    public ApiClient(HttpClient client, JsonMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    public Reply get(String path) {
        return send(HttpRequest.GET(path));
    }

    public Reply delete(String path) {
        return send(HttpRequest.DELETE(path));
    }

    public Reply post(String path, String json) {
        return send(withBody(HttpRequest.POST(path, json == null ? "" : json)));
    }

    public Reply put(String path, String json) {
        return send(withBody(HttpRequest.PUT(path, json == null ? "" : json)));
    }

    private static MutableHttpRequest<?> withBody(MutableHttpRequest<String> request) {
        return request.contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** Sends raw bytes, labelled with {@code contentType} unless it is null. */
    public Reply sendBytes(MutableHttpRequest<byte[]> request, MediaType contentType) {
        return send(contentType == null ? request : request.contentType(contentType));
    }

    public <T> Reply send(MutableHttpRequest<T> request) {
        HttpResponse<?> response;
        try {
            response = client.toBlocking().exchange(request, BYTES, BYTES);
        } catch (HttpClientResponseException e) {
            response = e.getResponse();
        }
        return new Reply(response.code(), response.getBody(byte[].class).orElse(new byte[0]),
                response.getContentType().map(MediaType::toString).orElse(""), mapper);
    }

    /** One answer, its body as sent; {@link #body()} reads it as text, {@link #json()} as JSON. */
    public record Reply(int status, byte[] bytes, String contentType, JsonMapper mapper) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return mapper.readValue(bytes, JsonNode.class);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body(), e);
            }
        }

        /** The {@code msg} of an error body. */
        public String msg() {
            JsonNode msg = json().get("msg");
            if (msg == null || !msg.isString()) {
                throw new AssertionError("no msg in error body: " + body());
            }
            return msg.getStringValue();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body();
        }
    }
}
