package org.pageserver.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackgroundTasksTest {
    private final BackgroundTasks tasks = new BackgroundTasks();

    @AfterEach
    void close() {
        tasks.close();
    }

    @Test
    void runsOnADaemonThreadNamedForTheTask() throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        CompletableFuture<String> name = new CompletableFuture<>();
        tasks.run("delete tenant x", () -> {
            ran.complete(Thread.currentThread());
            name.complete(Thread.currentThread().getName());
        });
        assertEquals("bg: delete tenant x", name.get(5, TimeUnit.SECONDS));
        Thread thread = ran.get();
        assertTrue(thread.isDaemon());
        assertNotEquals(Thread.currentThread(), thread);
    }

    @Test
    void aFailingTaskDoesNotStopLaterOnes() throws Exception {
        tasks.run("fails", () -> {
            throw new IllegalStateException("boom");
        });
        CountDownLatch ran = new CountDownLatch(1);
        tasks.run("runs", ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
    }

    @Test
    void tasksRunConcurrently() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch finished = new CountDownLatch(2);
        for (String name : new String[] {"first", "second"}) {
            tasks.run(name, () -> {
                bothStarted.countDown();
                try {
                    if (bothStarted.await(5, TimeUnit.SECONDS)) {
                        finished.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(finished.await(5, TimeUnit.SECONDS), "each task waited for the other, so they overlapped");
    }

    @Test
    void closeLetsARunningTaskFinishAndRefusesNewOnes() {
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        tasks.run("slow", () -> {
            started.countDown();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            finished.set(true);
        });
        try {
            assertTrue(started.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        tasks.close();
        assertTrue(finished.get(), "close waited for the task");
        assertThrows(RejectedExecutionException.class, () -> tasks.run("late", () -> { }));
    }
}
