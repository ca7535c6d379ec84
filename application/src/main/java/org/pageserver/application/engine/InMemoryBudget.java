package org.pageserver.application.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pageserver.domain.error.PageserverException;

/**
 * The node-wide limit on memory held by in-memory layers, open and frozen, of every timeline.
 *
 * <p>Each busy timeline may hold checkpoint_distance (256 MiB by default) before it freezes, and
 * as much again while its frozen layer is flushed: with enough timelines that is more memory than
 * the process has. So the arenas count what they hold here, and above half of the limit the
 * largest open layers are frozen early (by their next write, or by the periodic check for idle
 * ones), their flushes giving the memory back. At the limit, ingest waits for that before it
 * writes anything, and after {@code wait} answers 503: the client retries.
 */
public final class InMemoryBudget {
    private final long limit;
    private final Duration wait;
    private final Object monitor = new Object();
    private long used;

    /**
     * @param limit bytes the in-memory layers of all timelines may hold together
     * @param wait  how long an ingest waits for flushes to bring them under it
     */
    public InMemoryBudget(long limit, Duration wait) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the in-memory limit must be positive, not " + limit);
        }
        this.limit = limit;
        this.wait = wait;
    }

    /** No practical limit: for tests that are not about memory. */
    public static InMemoryBudget unlimited() {
        return new InMemoryBudget(Long.MAX_VALUE, Duration.ZERO);
    }

    public long limit() {
        return limit;
    }

    public long used() {
        synchronized (monitor) {
            return used;
        }
    }

    /** Above this, open layers are frozen early so that their flushes free memory. */
    boolean overFreezeThreshold() {
        return used() > limit / 2;
    }

    /** The size from which an open layer is frozen early: the big ones go first. */
    long earlyFreezeSize() {
        return limit / 8;
    }

    void taken(long bytes) {
        synchronized (monitor) {
            used += bytes;
        }
    }

    void returned(long bytes) {
        synchronized (monitor) {
            used -= bytes;
            if (used < limit) {
                monitor.notifyAll();
            }
        }
    }

    /**
     * Above half of the limit, freezes the largest open layers among these timelines until those
     * left open hold at most a quarter of it: their flushes then give the memory back. For layers
     * no write comes to any more; busy ones freeze on their own next write.
     */
    public void freezeLargest(Collection<TimelineData> timelines) {
        if (!overFreezeThreshold()) {
            return;
        }
        record Open(TimelineData timeline, long bytes) {
        }
        // Sizes taken once: they move while ingest goes on, and a sort needs them to stand still.
        List<Open> bySize = new ArrayList<>();
        for (TimelineData timeline : timelines) {
            bySize.add(new Open(timeline, timeline.openLayerBytes()));
        }
        bySize.sort(Comparator.comparingLong(Open::bytes).reversed());
        long open = bySize.stream().mapToLong(Open::bytes).sum();
        for (Open layer : bySize) {
            if (open <= limit / 4 || layer.bytes() == 0) {
                break;
            }
            open -= layer.bytes();
            layer.timeline().freezeForMemory();
        }
    }

    /** Waits until the layers hold less than the limit. @throws PageserverException 503 if they still do after the wait */
    void awaitRoom() {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (monitor) {
            while (used >= limit) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw PageserverException.unavailable("in-memory layers hold " + used + " bytes, the node's limit "
                            + "is " + limit + ", and flushes did not free enough in " + wait.toMillis()
                            + " ms: retry the batch later");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw PageserverException.unavailable("interrupted while waiting for in-memory layers to flush");
                }
            }
        }
    }
}
