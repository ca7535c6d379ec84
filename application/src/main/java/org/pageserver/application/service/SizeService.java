package org.pageserver.application.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.GetTenantSizeUseCase;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.size.SizeInputs;
import org.pageserver.domain.size.SizeModel;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/** The synthetic size from the tenant's Active timelines, their GC cutoffs and their logical sizes. */
public final class SizeService implements GetTenantSizeUseCase {
    private final TenantManager tenants;
    private final Clock clock;

    public SizeService(TenantManager tenants, Clock clock) {
        this.tenants = tenants;
        this.clock = clock;
    }

    @Override
    public TenantSize tenantSize(TenantId tenantId, boolean inputsOnly, Long retentionPeriod) {
        Tenant tenant = tenants.activeTenant(tenantId);
        TenantConfig config = tenants.effectiveConfig(tenant);
        List<SizeInputs.TimelineFacts> facts = new ArrayList<>();
        Map<TimelineId, TimelineData> data = new HashMap<>();
        for (Timeline timeline : tenant.timelines()) {
            TimelineData engine = timeline.data();
            if (engine == null || !(timeline.state() instanceof TimelineState.Active)) {
                continue;
            }
            TimelineMetadata m = engine.metadata();
            Lsn horizonCutoff = m.lastRecordLsn().saturatingMinus(config.gcHorizon());
            facts.add(new SizeInputs.TimelineFacts(m.timelineId(), m.ancestorTimelineId(), m.ancestorLsn(), m.initdbLsn(),
                    m.lastRecordLsn(), m.latestGcCutoffLsn(), horizonCutoff,
                    engine.pitrCutoff(horizonCutoff, config.pitrInterval(), clock.instant())));
            data.put(m.timelineId(), engine);
        }
        SizeInputs inputs = SizeInputs.gather(facts, retentionPeriod, (id, lsn) -> data.get(id).logicalSizeAt(lsn));
        if (inputsOnly) {
            return new TenantSize(tenantId, null, null, inputs);
        }
        SizeModel.Result result = SizeModel.calculate(inputs.segments());
        return new TenantSize(tenantId, result.size(), result.segmentSizes(), inputs);
    }
}
