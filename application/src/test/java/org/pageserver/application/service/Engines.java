package org.pageserver.application.service;

import java.util.List;
import org.pageserver.application.engine.EngineContext;
import org.pageserver.application.engine.InMemoryBudget;
import org.pageserver.application.engine.MemoryLayerMetadata;
import org.pageserver.application.engine.MemoryLayerStore;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.SaveLayersPort;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;
import org.pageserver.domain.wal.WalBatch;
import org.pageserver.domain.wal.WalRecord;

/** Timeline engines over in-memory files, for the service tests. */
final class Engines {
    private Engines() {
    }

    static <S extends LoadLayersPort & SaveLayersPort> EngineContext context(S layers, MemoryLayerStore files,
                                                                            BackgroundTasks background) {
        return new EngineContext(files, layers, layers, r -> background.run("flush", r), InMemoryBudget.unlimited());
    }

    /** A lone timeline with its own in-memory engine. */
    static Timeline timeline(TimelineMetadata metadata) {
        MemoryLayerMetadata rows = new MemoryLayerMetadata();
        EngineContext context = new EngineContext(new MemoryLayerStore(), rows, rows, Runnable::run, InMemoryBudget.unlimited());
        return new Timeline(org.pageserver.application.engine.TimelineData.create(context,
                TenantConfig::builtInDefaults, metadata, null), TimelineState.ACTIVE);
    }

    /** Moves the timeline's last_record_lsn to {@code lsn} the real way: by ingesting a commit record there. */
    static void ingestUpTo(Timeline timeline, Lsn lsn) {
        WalRecord commit = new WalRecord.Commit(lsn, 1_700_000_000_000_000L);
        timeline.data().ingest(new WalBatch(List.of(commit)));
    }
}
