package org.pageserver.bootstrap.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import org.pageserver.domain.eviction.DiskPressure;

/**
 * Neon's disk_usage_based_eviction, under {@code pageserver.disk-usage-based-eviction}:
 * {@code max-usage-pct} (percent of the disk holding the work directory that may be used),
 * {@code min-avail-bytes} (bytes that must stay free) and {@code period} (how often the disk is
 * looked at, default 60s). Off while neither threshold is set, as in Neon.
 */
@ConfigurationProperties("pageserver.disk-usage-based-eviction")
public class DiskUsageEvictionConfiguration {
    private Integer maxUsagePct;
    private Long minAvailBytes;
    private Duration period = Duration.ofSeconds(60);

    public DiskPressure pressure() {
        return new DiskPressure(maxUsagePct, minAvailBytes);
    }

    public Integer getMaxUsagePct() {
        return maxUsagePct;
    }

    public void setMaxUsagePct(Integer maxUsagePct) {
        this.maxUsagePct = maxUsagePct;
    }

    public Long getMinAvailBytes() {
        return minAvailBytes;
    }

    public void setMinAvailBytes(Long minAvailBytes) {
        this.minAvailBytes = minAvailBytes;
    }

    public Duration getPeriod() {
        return period;
    }

    public void setPeriod(Duration period) {
        this.period = period;
    }
}
