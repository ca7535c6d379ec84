package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.wal.WalDecoder;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/** current_logical_size kept incrementally equals the one recomputed from the data, and the model's. */
class LogicalSizeTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void incrementalEqualsFromData(long seed) {
        engine.configure(TenantConfigField.CHECKPOINT_DISTANCE, 40_000L);
        RandomWorkload workload = new RandomWorkload(seed);
        TimelineMetadata mainMeta = engine.rootMetadata();
        TimelineData main = engine.create(mainMeta, null);
        ReferenceModel.Branch model = new ReferenceModel.Branch(null, null);
        TimelineData branch = null;
        ReferenceModel.Branch branchModel = null;

        for (int step = 0; step < 120; step++) {
            boolean onBranch = branch != null && workload.random().nextBoolean();
            TimelineData target = onBranch ? branch : main;
            ReferenceModel.Branch targetModel = onBranch ? branchModel : model;
            List<WalRecord> batch = workload.batch(target.metadata().lastRecordLsn(), 6);
            target.ingest(WalDecoder.decode(WalEncoder.encode(batch)));
            targetModel.records.addAll(batch);
            check(target, targetModel);
            if (step == 50) {
                Lsn at = main.metadata().lastRecordLsn();
                branch = engine.create(main.metadata().branch(TimelineId.generate(), at, null), main);
                branchModel = new ReferenceModel.Branch(model, at);
                check(branch, branchModel);
            }
            if (step == 90) {
                main.shutdown();
                main = engine.reload(mainMeta, null);
                check(main, model);
            }
        }
        main.checkpoint();
        check(main, model);
    }

    private static void check(TimelineData timeline, ReferenceModel.Branch model) {
        long expected = ReferenceModel.logicalSize(ReferenceModel.stateAt(model, timeline.metadata().lastRecordLsn()));
        assertEquals(expected, timeline.logicalSize(), "incremental");
        assertEquals(expected, timeline.logicalSizeFromData(), "from data");
    }
}
