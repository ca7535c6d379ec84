package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.SaveLayersPort;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TenantTimelineId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * Layer file metadata in {@code layer}, written together with the timeline row it advances;
 * durability as in {@link JdbcTenantStore}. Not named after the {@code LayerStore} port, which
 * stores the files themselves.
 */
@Singleton
public class JdbcLayerMetadataStore implements LoadLayersPort, SaveLayersPort {
    /** SQLSTATE unique_violation; PostgreSQL and H2 both report a duplicate primary key with it. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final LayerRepository layers;
    private final TimelineRepository timelines;
    private final ForcedCommits forced;

    JdbcLayerMetadataStore(LayerRepository layers, TimelineRepository timelines, ForcedCommits forced) {
        this.layers = layers;
        this.timelines = timelines;
        this.forced = forced;
    }

    /** Sorted here by {@code LayerName}'s order, which compares LSNs unsigned; SQL cannot (see V2). */
    @Override
    public List<LayerDescriptor> loadLayers(TenantId tenantId, TimelineId timelineId) {
        return layers.findByIdTenantIdAndIdTimelineId(tenantId.hex(), timelineId.hex()).stream()
                .map(LayerRowMapper::toDomain)
                .sorted(Comparator.comparing(LayerDescriptor::name))
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Map<TenantTimelineId, List<LayerDescriptor>> loadAllLayers() {
        Map<TenantTimelineId, List<LayerDescriptor>> all = new HashMap<>();
        for (LayerRow row : layers.findAll()) {
            all.computeIfAbsent(new TenantTimelineId(TenantId.parse(row.id().tenantId()), TimelineId.parse(row.id().timelineId())),
                    k -> new ArrayList<>()).add(LayerRowMapper.toDomain(row));
        }
        all.values().forEach(list -> list.sort(Comparator.comparing(LayerDescriptor::name)));
        return all;
    }

    /**
     * The timeline row gets what {@link JdbcTimelineStore#saveTimeline} would store; it is only
     * updated, not inserted: a layer of a timeline that was never saved is refused by the foreign
     * key. A layer recorded twice is a bug of the caller and fails the whole transaction.
     *
     * @throws PageserverException INTERNAL naming the layer if it is already recorded
     */
    @Override
    @Transactional
    public void saveFlushedLayer(TimelineMetadata timeline, LayerDescriptor layer) {
        forced.forceOnCommit();
        timelines.update(TimelineRowMapper.toRow(timeline));
        try {
            layers.save(LayerRowMapper.toFlushedRow(timeline.tenantId(), timeline.timelineId(), layer));
        } catch (DataAccessException e) {
            if (isUniqueViolation(e)) {
                throw new PageserverException(ErrorKind.INTERNAL, "timeline " + timeline.tenantId() + "/"
                        + timeline.timelineId() + ": layer " + layer.name() + " is already recorded", e);
            }
            throw e;
        }
    }

    @Override
    @Transactional
    public void replaceLayers(TimelineMetadata timeline, List<LayerDescriptor> added, List<LayerName> removed) {
        forced.forceOnCommit();
        TenantId tenantId = timeline.tenantId();
        TimelineId timelineId = timeline.timelineId();
        timelines.update(TimelineRowMapper.toRow(timeline));
        for (LayerName name : removed) {
            layers.deleteLayer(tenantId.hex(), timelineId.hex(), name.fileName());
        }
        for (LayerDescriptor layer : added) {
            try {
                layers.save(LayerRowMapper.toFlushedRow(tenantId, timelineId, layer));
            } catch (DataAccessException e) {
                if (isUniqueViolation(e)) {
                    throw new PageserverException(ErrorKind.INTERNAL, "timeline " + tenantId + "/" + timelineId
                            + ": layer " + layer.name() + " is already recorded", e);
                }
                throw e;
            }
        }
    }

    @Override
    @Transactional
    public void saveLastAccess(TenantId tenantId, TimelineId timelineId, Map<LayerName, Instant> lastAccess) {
        lastAccess.forEach((name, at) -> layers.updateLastAccess(tenantId.hex(), timelineId.hex(), name.fileName(), at));
    }

    @Override
    @Transactional
    public void saveResidence(TenantId tenantId, TimelineId timelineId, Map<LayerName, Boolean> resident) {
        resident.forEach((name, on) -> layers.updateResident(tenantId.hex(), timelineId.hex(), name.fileName(), on));
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
