package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GateTest {
    private final Gate gate = new Gate();

    @Test
    void closingWaitsForEveryPassAndRefusesNewOnes() throws Exception {
        Gate.Pass first = gate.enter();
        Gate.Pass second = gate.enter();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> gate.close("test", Duration.ofMillis(50)));
        awaitRefused();
        first.close();
        Thread.sleep(100);
        assertFalse(closing.isDone(), "one operation is still inside");
        second.close();
        closing.get(5, TimeUnit.SECONDS);
        assertNull(gate.enter());
    }

    @Test
    void closingAnEmptyOrClosedGateReturnsAtOnce() {
        gate.close("test", Duration.ofSeconds(10));
        gate.close("test", Duration.ofSeconds(10));
        assertNull(gate.enter());
    }

    @Test
    void nothingEntersOnceTheCloseHasReturned() throws Exception {
        // Threads entering and leaving as fast as they can while the gate closes: whoever got in
        // before the close returned has left by then, and nobody gets in after.
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger lateEntries = new AtomicInteger();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    Gate.Pass pass = gate.enter();
                    if (pass == null) {
                        return;
                    }
                    inside.incrementAndGet();
                    if (closed.isDone()) {
                        lateEntries.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    pass.close();
                }
            });
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(50);
        gate.close("test", Duration.ofSeconds(10));
        int left = inside.get();
        closed.complete(null);
        for (Thread thread : threads) {
            thread.join(5000);
            assertFalse(thread.isAlive());
        }
        assertEquals(0, left, "operations inside after the close returned");
        assertEquals(0, lateEntries.get(), "entries after the close returned");
    }

    private void awaitRefused() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Gate.Pass probe;
        while ((probe = gate.enter()) != null) {
            probe.close();
            assertTrue(System.nanoTime() < deadline, "the gate never closed");
            Thread.sleep(5);
        }
    }
}
