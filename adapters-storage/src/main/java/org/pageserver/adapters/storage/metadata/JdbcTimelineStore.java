package org.pageserver.adapters.storage.metadata;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Timelines in {@code timeline}; durability as in {@link JdbcTenantStore}. */
@Singleton
public class JdbcTimelineStore implements LoadTimelinePort, SaveTimelinePort {
    private final TimelineRepository timelines;
    private final ForcedCommits forced;

    JdbcTimelineStore(TimelineRepository timelines, ForcedCommits forced) {
        this.timelines = timelines;
        this.forced = forced;
    }

    @Override
    public List<TimelineMetadata> loadTimelines(TenantId tenantId) {
        return timelines.findByIdTenantIdOrderByIdTimelineId(tenantId.hex()).stream()
                .map(TimelineRowMapper::toDomain)
                .toList();
    }

    @Override
    public List<TimelineMetadata> loadAllTimelines() {
        List<TimelineMetadata> all = new ArrayList<>();
        timelines.findAll().forEach(row -> all.add(TimelineRowMapper.toDomain(row)));
        all.sort(Comparator.comparing(TimelineMetadata::tenantId).thenComparing(TimelineMetadata::timelineId));
        return all;
    }

    /** Update-or-insert in one transaction; the race on a first save is as in {@link JdbcTenantStore#saveTenant}. */
    @Override
    @Transactional
    public void saveTimeline(TimelineMetadata timeline) {
        forced.forceOnCommit();
        TimelineRow row = TimelineRowMapper.toRow(timeline);
        if (timelines.existsById(row.id())) {
            timelines.update(row);
        } else {
            timelines.save(row);
        }
    }

    @Override
    @Transactional
    public void deleteTimeline(TenantId tenantId, TimelineId timelineId) {
        forced.forceOnCommit();
        timelines.deleteById(TimelineRowMapper.key(tenantId, timelineId));
    }
}
