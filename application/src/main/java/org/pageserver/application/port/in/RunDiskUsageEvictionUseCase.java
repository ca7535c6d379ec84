package org.pageserver.application.port.in;

/** One pass of disk-usage eviction on request (Neon's PUT /v1/disk_usage_eviction/run). */
public interface RunDiskUsageEvictionUseCase {

    /**
     * Evicts resident, uploaded layer files in {@link org.pageserver.domain.eviction.EvictionOrder}
     * until {@code evictBytes} are freed or none is left. Returns when done.
     *
     * @throws org.pageserver.domain.error.PageserverException CONFLICT if a pass is running already
     */
    Result run(long evictBytes);

    /**
     * What a pass did: bytes asked for; bytes planned above the tenants' reserves and within them
     * (null if no reserve was touched); bytes evicted; and the layers that could not be (gone meanwhile).
     */
    record Result(long evictBytes, long plannedAboveReserves, Long plannedWithinReserves, long freedBytes,
                  long failedBytes, long failedCount) {
    }
}
