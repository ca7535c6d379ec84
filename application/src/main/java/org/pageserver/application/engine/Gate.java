package org.pageserver.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps what a timeline's operations use (its files, its in-memory layers' memory) alive while
 * they run, as Neon's {@code Gate} does: every ingest, read and checkpoint passes through it, and
 * the removal of the timeline {@link #close closes} it, which refuses new operations and waits for
 * those inside to leave. Only then are the files closed and deleted and the memory freed, so an
 * operation never finds them gone halfway: it either runs whole or is refused before it starts.
 *
 * <p>Entering and leaving are one atomic add each: reads pass through on every GetPage.
 */
final class Gate {
    private static final Logger LOG = System.getLogger(Gate.class.getName());
    /** Added to the count when the gate closes: a count at or above it means closed. */
    private static final long CLOSED = 1L << 62;

    /** Operations inside, plus {@link #CLOSED} once closed. */
    private final AtomicLong state = new AtomicLong();
    private final Object drained = new Object();

    /** Returned by {@link #enter()}: leaving is closing it, once. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** Lets an operation in; null once the gate is closed, and the operation must not start. */
    Pass enter() {
        if (state.incrementAndGet() >= CLOSED) {
            leave();
            return null;
        }
        return this::leave;
    }

    private void leave() {
        if (state.decrementAndGet() == CLOSED) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Refuses every operation from now on and returns once none is inside; logs every
     * {@code logEvery} while it waits, naming {@code what} and how many are still inside. Closing a
     * closed gate waits the same way.
     */
    void close(String what, Duration logEvery) {
        state.getAndUpdate(s -> s >= CLOSED ? s : s + CLOSED);
        long started = System.nanoTime();
        synchronized (drained) {
            // leave() notifies under the same monitor, so no wake-up falls between the check and the wait.
            while (state.get() > CLOSED) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, logEvery.toNanos());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(what + ": interrupted while waiting for operations in progress", e);
                }
                long inside = state.get() - CLOSED;
                if (inside > 0) {
                    LOG.log(Level.WARNING, "{0}: still waiting for {1} operations in progress after {2} ms", what, inside,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
            }
        }
    }
}
