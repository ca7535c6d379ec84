package org.pageserver.adapters.http;

import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.pageserver.application.port.in.ReadPagesUseCase;

/**
 * Where an HTTP read runs: on the event loop that received it when nothing in it waits (its LSN
 * has arrived, its layer files are on local disk), which saves the hop to a pool and back (two
 * thread wake-ups, the largest cost of a read from memory); on the blocking pool otherwise, after
 * the attempt gave up. Errors come out as they would from the controller, unwrapped, so the one
 * error mapper answers them.
 */
@Singleton
final class ReadNowOrLater {
    private final ReadPagesUseCase reads;
    private final ExecutorService blocking;

    ReadNowOrLater(ReadPagesUseCase reads, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.reads = reads;
        this.blocking = blocking;
    }

    <T> CompletableFuture<T> read(Supplier<T> read) {
        T now = reads.readNow(read);
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        return later(read);
    }

    /** Runs {@code read} on the blocking pool, for reads too long to hold an event loop with. */
    <T> CompletableFuture<T> later(Supplier<T> read) {
        CompletableFuture<T> later = new CompletableFuture<>();
        blocking.execute(() -> {
            try {
                later.complete(read.get());
            } catch (Throwable t) {
                later.completeExceptionally(t);
            }
        });
        return later;
    }
}
