package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress of a start, for the log: tenants done of all, and how fast, at most once a second
 * while it runs and once at the end. A node with thousands of tenants says how far it is.
 */
final class StartupProgress {
    private static final Logger LOG = System.getLogger(StartupProgress.class.getName());
    private static final long LOG_EVERY = TimeUnit.SECONDS.toNanos(1);

    private final int total;
    private final long begin = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong lastLog = new AtomicLong(begin);
    private final AtomicInteger threads = new AtomicInteger();

    StartupProgress(int total) {
        this.total = total;
    }

    int nextThreadNumber() {
        return threads.incrementAndGet();
    }

    void oneDone() {
        int now = done.incrementAndGet();
        long at = System.nanoTime();
        long last = lastLog.get();
        if (now < total && at - last >= LOG_EVERY && lastLog.compareAndSet(last, at)) {
            LOG.log(Level.INFO, "started {0} of {1} tenants, {2} a second", now, total, rate(now, at));
        }
    }

    void logEnd() {
        long at = System.nanoTime();
        LOG.log(Level.INFO, "started {0} tenants in {1} ms, {2} a second", total, TimeUnit.NANOSECONDS.toMillis(at - begin),
                rate(total, at));
    }

    private long rate(int count, long at) {
        long elapsed = Math.max(1, at - begin);
        return Math.round(count * 1e9 / elapsed);
    }
}
