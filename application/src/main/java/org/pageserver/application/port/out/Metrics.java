package org.pageserver.application.port.out;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * What the engine and the use cases tell an operator, as numbers under Neon's metric names (so that
 * dashboards made for Neon's pageserver work). Recording sits on the read path: an implementation
 * keeps every per-timeline meter in the {@link Timeline} it hands out, so that recording is a
 * lookup-free update.
 */
public interface Metrics {

    /** The reads of Neon's page service ({@code smgr_query_type}). */
    enum SmgrQuery {
        GET_PAGE_AT_LSN("get_page_at_lsn"), GET_REL_SIZE("get_rel_size"), GET_REL_EXISTS("get_rel_exists"),
        GET_DB_SIZE("get_db_size");

        private final String label;

        SmgrQuery(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Background work on storage ({@code operation}). */
    enum StorageOperation {
        FLUSH("flush"),
        /** Compaction: for now, the image layers it creates. */
        COMPACT("compact"),
        GC("gc"),
        /** A flush waiting for compaction because delta layers piled up (L0 backpressure). */
        FLUSH_WAITED_FOR_L0("flush_waited_for_l0");

        private final String label;

        StorageOperation(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What a timeline's gauges read, each time they are read. The logical size is NaN until it has
     * been worked out (a timeline does that when first asked, not at the start).
     */
    record TimelineGauges(LongSupplier lastRecordLsn, DoubleSupplier currentLogicalSize, LongSupplier residentPhysicalSize,
                          LongSupplier remotePhysicalSize) {
    }

    /** A call to remote storage, as Neon labels them ({@code op_kind}). */
    enum RemoteOperation {
        UPLOAD("upload"), DOWNLOAD("download"), DELETE("delete"), LIST("list");

        private final String label;

        RemoteOperation(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The meters of one timeline; {@link #close()} removes its series when the timeline goes. */
    interface Timeline extends AutoCloseable {
        /** One read answered (or refused), {@code nanos} long, waiting for its LSN included. */
        void smgrQuery(SmgrQuery query, long nanos);

        /** One ingest batch accepted: its body's bytes and its records (counted for the node). */
        void ingested(long bytes, long records);

        /**
         * A call to remote storage for this timeline started ({@code +1}) or ended ({@code -1}):
         * Neon's pageserver_remote_timeline_client_calls_unfinished.
         */
        void remoteCallsUnfinished(RemoteOperation op, String fileKind, int delta);

        /** A call to remote storage ended, {@code nanos} long: Neon's pageserver_remote_operation_seconds. */
        void remoteOperation(RemoteOperation op, String fileKind, boolean succeeded, long nanos);

        /**
         * A layer file of this timeline was evicted, for {@code cause} (Neon's pageserver_evictions),
         * after a residence shorter than the tenant's evictions_low_residence_duration_metric_threshold
         * if {@code lowResidence} (pageserver_evictions_with_low_residence_duration).
         */
        void evicted(String cause, boolean lowResidence);

        /**
         * An eviction of a layer file of this timeline, for {@code cause}, failed and left the layer
         * resident (pageserver_eviction_failures, counted for the node by cause).
         */
        void evictionFailed(String cause);

        /**
         * A read downloaded a layer file of {@code bytes} (Neon's
         * pageserver_remote_ondemand_downloaded_layers_total and _bytes_total, counted for the node).
         */
        void downloadedOnDemand(long bytes);

        @Override
        void close();
    }

    /** Meters for a timeline this node now serves. */
    Timeline timeline(TenantId tenantId, TimelineId timelineId, TimelineGauges gauges);

    /** A read waited {@code nanos} for its LSN to arrive. */
    void waitedForLsn(long nanos);

    /** A storage operation took {@code nanos}. */
    void storageOperation(StorageOperation operation, long nanos);

    /** Bytes made durable in layer files. */
    void wrotePersistentBytes(long bytes);

    /**
     * The number of tenants in each state, read from {@code countByState} (given a state's name,
     * as in the API's {@code slug}) whenever it is scraped.
     */
    void tenantStates(Iterable<String> states, ToLongFunction<String> countByState);

    /** How long a phase of the start took, in seconds since the process started. */
    void startupPhase(String phase, double seconds);

    /** The page cache's counts, read whenever they are scraped (Neon's pageserver_page_cache_*). */
    interface PageCacheCounts {
        /** Lookups of a materialized page. */
        long accesses();

        /** Lookups that found the page at the very LSN asked for. */
        long exactHits();

        /** Lookups that found it at an older LSN, to bring up to date with the versions since. */
        long olderLsnHits();

        long currentBytes();

        long maxBytes();
    }

    /** Publishes the page cache's counts. */
    void pageCache(PageCacheCounts counts);

    /** Records nothing: for tests and tools that run the engine without a registry. */
    Metrics NONE = new Metrics() {
        private final Timeline none = new Timeline() {
            @Override
            public void smgrQuery(SmgrQuery query, long nanos) {
            }

            @Override
            public void ingested(long bytes, long records) {
            }

            @Override
            public void remoteCallsUnfinished(RemoteOperation op, String fileKind, int delta) {
            }

            @Override
            public void remoteOperation(RemoteOperation op, String fileKind, boolean succeeded, long nanos) {
            }

            @Override
            public void evicted(String cause, boolean lowResidence) {
            }

            @Override
            public void evictionFailed(String cause) {
            }

            @Override
            public void downloadedOnDemand(long bytes) {
            }

            @Override
            public void close() {
            }
        };

        @Override
        public Timeline timeline(TenantId tenantId, TimelineId timelineId, TimelineGauges gauges) {
            return none;
        }

        @Override
        public void waitedForLsn(long nanos) {
        }

        @Override
        public void storageOperation(StorageOperation operation, long nanos) {
        }

        @Override
        public void wrotePersistentBytes(long bytes) {
        }

        @Override
        public void tenantStates(Iterable<String> states, ToLongFunction<String> countByState) {
        }

        @Override
        public void startupPhase(String phase, double seconds) {
        }

        @Override
        public void pageCache(PageCacheCounts counts) {
        }
    };
}
