package org.pageserver.application.engine;

import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Reads that must not wait, for a thread that serves many connections (a network event loop): a
 * read that would download a layer file, wait for an eviction to let go of one, or wait for the
 * disk (a layer file's bytes not in memory), gives up, and the caller runs it again where waiting
 * is fine. A read is side-effect free, so running it twice
 * costs only the time of the first attempt.
 */
public final class NonBlocking {
    private static final ThreadLocal<boolean[]> ATTEMPTING = ThreadLocal.withInitial(() -> new boolean[1]);
    /** Thrown where the read would wait; no stack trace, as it is control flow. */
    private static final RuntimeException WOULD_WAIT = new RuntimeException("the read would wait", null, false, false) {
    };

    private NonBlocking() {
    }

    /** Runs the read on this thread; null if it would have had to wait. */
    public static <T> T attempt(Supplier<T> read) {
        boolean[] attempting = ATTEMPTING.get();
        attempting[0] = true;
        try {
            return read.get();
        } catch (RuntimeException e) {
            if (e == WOULD_WAIT) {
                return null;
            }
            throw e;
        } finally {
            attempting[0] = false;
        }
    }

    /**
     * Runs {@code work} and hands its duration in nanoseconds to {@code record}, whether it returns
     * or throws, unless it is an {@link #attempt} giving up: that work runs again, and counts then.
     */
    public static <T> T timed(Supplier<T> work, LongConsumer record) {
        long started = System.nanoTime();
        try {
            T result = work.get();
            record.accept(System.nanoTime() - started);
            return result;
        } catch (RuntimeException e) {
            if (e != WOULD_WAIT) {
                record.accept(System.nanoTime() - started);
            }
            throw e;
        }
    }

    /** Whether this thread runs an {@link #attempt}: a read that must not wait. */
    static boolean attempting() {
        return ATTEMPTING.get()[0];
    }

    /** Called where a read is about to wait: gives up if the read is an {@link #attempt}. */
    static void aboutToWait() {
        if (ATTEMPTING.get()[0]) {
            throw WOULD_WAIT;
        }
    }
}
