package org.pageserver.application.remote;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.id.Generation;

/**
 * What every timeline's {@link RemoteTimelineClient} shares on a node: the remote storage, the
 * local layer files it uploads from, a small scheduler that runs the clients' rounds (and their
 * backoffs), and a bounded pool for layer uploads, so that a flush of many timelines at once does
 * not open more connections than the node allows.
 */
public record RemoteSync(RemoteStorage storage, LayerStore layerStore, ScheduledExecutorService runner,
                         ExecutorService uploads, Semaphore downloads) implements AutoCloseable {

    /** Layers downloaded at once by the node's reads: more wait, so that a burst of reads of evicted layers does not flood the server. */
    public static final int DOWNLOADS_IN_FLIGHT = 16;

    /**
     * A node's remote sync on its own daemon threads: two for the clients' rounds (a round mostly
     * waits for its uploads), {@code uploadThreads} for layer uploads; on-demand downloads run on
     * their readers' threads, {@link #DOWNLOADS_IN_FLIGHT} at a time.
     */
    public static RemoteSync start(RemoteStorage storage, LayerStore layerStore, int uploadThreads) {
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger uploaders = new AtomicInteger();
        return new RemoteSync(storage, layerStore,
                Executors.newScheduledThreadPool(2, daemon(() -> "remote-sync-" + rounds.incrementAndGet())),
                Executors.newFixedThreadPool(uploadThreads, daemon(() -> "remote-upload-" + uploaders.incrementAndGet())),
                new Semaphore(DOWNLOADS_IN_FLIGHT));
    }

    private static ThreadFactory daemon(Supplier<String> names) {
        return task -> {
            Thread thread = new Thread(task, names.get());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the rounds and uploads in progress: what they did not finish, the next start does. */
    @Override
    public void close() {
        runner.shutdownNow();
        uploads.shutdownNow();
    }

    /** A client for the timeline, following its layer changes from now on; {@link RemoteTimelineClient#wake()} starts it. */
    public RemoteTimelineClient clientFor(TimelineData timeline, Generation generation) {
        return new RemoteTimelineClient(this, timeline, generation);
    }
}
