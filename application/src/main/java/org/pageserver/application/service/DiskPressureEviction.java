package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.pageserver.application.port.in.RunDiskUsageEvictionUseCase;
import org.pageserver.application.port.out.DiskSpace;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.eviction.DiskPressure;

/**
 * The background side of disk-usage eviction (Neon's disk_usage_eviction_task): every
 * {@code period} it looks at the disk holding the work directory and, under pressure, runs a pass
 * for the bytes that bring it back under the thresholds. Off when no threshold is set.
 */
public final class DiskPressureEviction {
    private static final Logger LOG = System.getLogger(DiskPressureEviction.class.getName());

    private final DiskSpace disk;
    private final DiskPressure pressure;
    private final RunDiskUsageEvictionUseCase eviction;

    public DiskPressureEviction(DiskSpace disk, DiskPressure pressure, Duration period,
                                RunDiskUsageEvictionUseCase eviction, BackgroundTasks background) {
        this.disk = disk;
        this.pressure = pressure;
        this.eviction = eviction;
        if (pressure.enabled()) {
            background.every("disk usage based eviction", period, this::check);
            LOG.log(Level.INFO, "disk usage based eviction: every {0}, max usage {1}%, min available {2} bytes", period,
                    pressure.maxUsagePct(), pressure.minAvailBytes());
        }
    }

    private void check() {
        DiskSpace.Usage usage = disk.usage();
        long needed = pressure.bytesToFree(usage.totalBytes(), usage.availableBytes());
        if (needed == 0) {
            return;
        }
        long started = System.nanoTime();
        try {
            RunDiskUsageEvictionUseCase.Result result = eviction.run(needed);
            LOG.log(Level.WARNING, "disk usage based eviction: {0} of {1} bytes free, {2} to free: freed {3} in {4} ms",
                    usage.availableBytes(), usage.totalBytes(), needed, result.freedBytes(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (PageserverException e) {
            // A pass on request is running: it frees space too; the next check looks again.
            LOG.log(Level.INFO, "disk usage based eviction skipped: {0}", e.getMessage());
        }
    }
}
