package org.pageserver.bootstrap.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.pageserver.application.service.TenantManager;

/**
 * The server-wide settings, under Neon's names with the prefix {@code pageserver}
 * ({@code pageserver.workdir}, {@code PAGESERVER_WORKDIR}, {@code -Dpageserver.workdir=...}).
 * Per-tenant defaults live beside them under {@code pageserver.tenant-config}; see
 * {@link ServerTenantConfig}.
 */
@ConfigurationProperties("pageserver")
public class PageserverConfiguration {
    private Path workdir = Path.of(".pageserver");
    private long id = 1;
    private Duration waitLsnTimeout = Duration.ofSeconds(10);
    private Long inMemoryLimit;
    private int startupConcurrency = TenantManager.DEFAULT_STARTUP_CONCURRENCY;
    private boolean readCaches = true;
    private int pageCacheSize = 8192;

    /** Where everything this node keeps lives: the metadata database, layer files, the local remote storage. */
    public Path getWorkdir() {
        return workdir;
    }

    public void setWorkdir(Path workdir) {
        this.workdir = workdir;
    }

    /** This node's id, as the control plane knows it; {@code GET /v1/status} shows it. */
    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }

    /**
     * Whether reads take what the engine keeps in memory (each relation's size, per timeline)
     * instead of looking in layer files. Off only to show that the caches change no answer.
     */
    public boolean isReadCaches() {
        return readCaches;
    }

    public void setReadCaches(boolean readCaches) {
        this.readCaches = readCaches;
    }

    /** Pages of 8 KiB the page cache holds at most (Neon's page_cache_size; 0 for none). */
    public int getPageCacheSize() {
        return pageCacheSize;
    }

    public void setPageCacheSize(int pageCacheSize) {
        this.pageCacheSize = pageCacheSize;
    }

    /** How long a read or a branch waits for an LSN that has not been ingested yet before answering 503. */
    public Duration getWaitLsnTimeout() {
        return waitLsnTimeout;
    }

    public void setWaitLsnTimeout(Duration waitLsnTimeout) {
        this.waitLsnTimeout = waitLsnTimeout;
    }

    /**
     * Bytes the in-memory layers of all timelines may hold together (their values live in direct
     * memory). Unset: half of the JVM's direct memory limit ({@code -XX:MaxDirectMemorySize}, by
     * default the maximum heap), leaving the rest to the pool of reusable chunks and to Netty.
     */
    public long getInMemoryLimit() {
        return inMemoryLimit != null ? inMemoryLimit : maxDirectMemory() / 2;
    }

    public void setInMemoryLimit(long inMemoryLimit) {
        if (inMemoryLimit <= 0) {
            throw new IllegalArgumentException("pageserver.in-memory-limit must be a positive number of bytes, not "
                    + inMemoryLimit);
        }
        this.inMemoryLimit = inMemoryLimit;
    }

    /** How many stored tenants a start opens at once. */
    public int getStartupConcurrency() {
        return startupConcurrency;
    }

    public void setStartupConcurrency(int startupConcurrency) {
        if (startupConcurrency <= 0) {
            throw new IllegalArgumentException("pageserver.startup-concurrency must be positive, not " + startupConcurrency);
        }
        this.startupConcurrency = startupConcurrency;
    }

    /** The JVM's limit on direct buffers: the flag if given, else (as the JVM does) the maximum heap. */
    static long maxDirectMemory() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        long flag = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
        return flag > 0 ? flag : Runtime.getRuntime().maxMemory();
    }
}
