package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work that outlives the request that started it (deletions, tenant activation). Each task runs on
 * its own daemon thread, named for what it does so that a thread dump reads as a to-do list.
 */
public final class BackgroundTasks implements AutoCloseable {
    private static final Logger LOG = System.getLogger(BackgroundTasks.class.getName());

    private final AtomicInteger counter = new AtomicInteger();
    private final java.util.concurrent.ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "background-timer");
                thread.setDaemon(true);
                return thread;
            });
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "background-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    public void run(String name, Runnable task) {
        executor.execute(() -> {
            String previous = Thread.currentThread().getName();
            Thread.currentThread().setName("bg: " + name);
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "background task '" + name + "' failed", e);
            } finally {
                Thread.currentThread().setName(previous);
            }
        });
    }

    /** Runs {@code task} every {@code period} until closed; a failing run is logged and the next one runs. */
    public void every(String name, java.time.Duration period, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "periodic task '" + name + "' failed", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops taking tasks and gives running ones a moment to finish; what is cut short resumes at the next start. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
