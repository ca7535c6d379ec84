package org.pageserver.domain.eviction;

/**
 * When the disk holding the work directory is under pressure, and by how much (Neon's
 * disk_usage_based_eviction): its use above {@code maxUsagePct} percent of its size, or its free
 * space below {@code minAvailBytes}. Either may be null (not checked).
 */
public record DiskPressure(Integer maxUsagePct, Long minAvailBytes) {

    public DiskPressure {
        if (maxUsagePct != null && (maxUsagePct < 0 || maxUsagePct > 100)) {
            throw new IllegalArgumentException("max-usage-pct must be between 0 and 100, not " + maxUsagePct);
        }
        if (minAvailBytes != null && minAvailBytes < 0) {
            throw new IllegalArgumentException("min-avail-bytes must not be negative, not " + minAvailBytes);
        }
    }

    /** Whether any threshold is set: without one, disk pressure never evicts. */
    public boolean enabled() {
        return maxUsagePct != null || minAvailBytes != null;
    }

    /**
     * The bytes to free to be back under both thresholds, on a disk of {@code totalBytes} with
     * {@code availableBytes} free; 0 when there is no pressure.
     */
    public long bytesToFree(long totalBytes, long availableBytes) {
        long needed = 0;
        if (maxUsagePct != null) {
            long used = totalBytes - availableBytes;
            long allowed = (long) (totalBytes * (maxUsagePct / 100.0));
            needed = Math.max(needed, used - allowed);
        }
        if (minAvailBytes != null) {
            needed = Math.max(needed, minAvailBytes - availableBytes);
        }
        return Math.max(0, needed);
    }
}
