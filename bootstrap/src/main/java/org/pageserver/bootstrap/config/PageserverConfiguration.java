package org.pageserver.bootstrap.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

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

    /** How long a read or a branch waits for an LSN that has not been ingested yet before answering 503. */
    public Duration getWaitLsnTimeout() {
        return waitLsnTimeout;
    }

    public void setWaitLsnTimeout(Duration waitLsnTimeout) {
        this.waitLsnTimeout = waitLsnTimeout;
    }
}
