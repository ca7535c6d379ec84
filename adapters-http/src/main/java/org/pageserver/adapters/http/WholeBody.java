package org.pageserver.adapters.http;

import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.io.buffer.ReferenceCounted;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A request body read whole into one {@code byte[]} of exactly its length, each buffer the server
 * received copied once, straight into place, as it arrives. Micronaut's {@code @Body byte[]}
 * first gathers the buffers into a composite buffer, which copies what it holds into one buffer
 * each time it has gathered more than 16 (a 1 MiB body comes in 8 KiB pieces), and then copies
 * that into a new array.
 *
 * <p>Start it from the event loop, when the route runs (a controller method without
 * {@code @ExecuteOn}), and continue on an executor once the future completes: the buffers are
 * then copied on the event loop that received them, with no thread hand-off per buffer.
 *
 * <p>The limits stay Micronaut's: a {@code Content-Length} over
 * {@code micronaut.server.max-request-size} fails the body before a byte of it is read, and a
 * chunked body fails as soon as it crosses the limit, both with a
 * {@link ContentLengthExceededException} (413). This reader holds no more than the limit either:
 * it refuses a {@code Content-Length} over the limit without reading the body at all, and any
 * byte past the limit as it arrives, cancelling the read.
 *
 * <p>Its own refusals leave the body unread or cancel the read, and the server then discards the
 * rest of the body and goes on with the connection's next request. A reader that gave up without
 * cancelling would leave the server waiting for it, and the client, still sending, without an
 * answer to its next request. Hence the check of {@code Content-Length} here, although Micronaut
 * fails such a body itself: Micronaut 4.10 does not discard the rest of it.
 */
final class WholeBody implements Subscriber<ByteBuffer<?>> {
    private static final byte[] EMPTY = new byte[0];
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The first array of a body of unknown length (chunked), doubled as needed up to the limit. */
    private static final int FIRST_CHUNKED_CAPACITY = 64 * 1024;

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    /** The announced length, or -1 if there is none (chunked). */
    private final long expected;
    private final long limit;
    private Subscription subscription;
    private byte[] data;
    private int length;

    private WholeBody(long expected, long limit) {
        this.expected = expected;
        this.limit = Math.min(limit, MAX_ARRAY);
    }

    /**
     * Starts reading the body of a request the server received.
     *
     * @param request the request, as the route is bound with it
     * @param limit   micronaut.server.max-request-size
     * @return the body, empty if there is none; failed as the body failed (a 413 for a body over
     *         the limit)
     */
    static CompletableFuture<byte[]> read(HttpRequest<?> request, long limit) {
        if (!(request instanceof ServerHttpRequest<?> server)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the body of a " + request.getClass().getName() + " cannot be read as received"));
        }
        ByteBody body = server.byteBody();
        long expected = body.expectedLength().orElse(-1);
        if (expected == 0) {
            return CompletableFuture.completedFuture(EMPTY);
        }
        WholeBody reader = new WholeBody(expected, limit);
        if (expected > reader.limit) {
            // Left unread, so that the server discards it (see above); Micronaut's own refusal, word for word.
            return CompletableFuture.failedFuture(new ContentLengthExceededException(reader.limit, expected));
        }
        body.toByteBufferPublisher().subscribe(reader);
        return reader.result;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        // Every buffer is copied and released as it arrives: nothing accumulates but the array.
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer<?> buffer) {
        try {
            if (!result.isDone()) {
                append(buffer);
            }
        } catch (RuntimeException e) {
            subscription.cancel();
            result.completeExceptionally(e);
        } finally {
            if (buffer instanceof ReferenceCounted counted) {
                counted.release();
            }
        }
    }

    private void append(ByteBuffer<?> buffer) {
        int n = buffer.readableBytes();
        long end = (long) length + n;
        if (end > limit) {
            throw new ContentLengthExceededException(limit, end);
        }
        if (data == null || end > data.length) {
            grow(end);
        }
        buffer.read(data, length, n);
        length = (int) end;
    }

    private void grow(long end) {
        if (data == null && expected >= end) {
            // at most the limit, see read()
            data = new byte[(int) expected];
            return;
        }
        int current = data == null ? 0 : data.length;
        long capacity = Math.min(limit, Math.max(end, Math.max(FIRST_CHUNKED_CAPACITY, 2L * current)));
        data = data == null ? new byte[(int) capacity] : Arrays.copyOf(data, (int) capacity);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        if (result.isDone()) {
            return;
        }
        // Only a chunked body leaves spare room in the array.
        result.complete(data == null ? EMPTY : length == data.length ? data : Arrays.copyOf(data, length));
    }
}
