package org.pageserver.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.pageserver.application.port.in.LayerMapInfo;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * Where a timeline's layer files are: the listing of the layer endpoint, and the evictions and
 * downloads of single layers (on request, by policy, by disk pressure). A layer stays in the layer
 * map when evicted; {@link HistoricLayer} waits for the reads inside its file and downloads it
 * again at the next read that needs it. Evictions run while no compaction or GC of the timeline
 * does: those read layer files outside the reads' residence locks.
 */
public final class Residence {
    private static final Logger LOG = System.getLogger(Residence.class.getName());

    private final TimelineData timeline;
    private final Maintenance maintenance;

    Residence(TimelineData timeline, Maintenance maintenance) {
        this.timeline = timeline;
        this.maintenance = maintenance;
    }

    /** The layers as the layer endpoint lists them: in memory, then the layer files, newest first. */
    public LayerMapInfo layerMap() {
        LayerSnapshot snapshot = timeline.layers();
        List<LayerMapInfo.InMemory> inMemory = new ArrayList<>();
        inMemory.add(new LayerMapInfo.InMemory(false, snapshot.open().lsnStart(), null));
        for (InMemoryLayer frozen : snapshot.frozenNewestFirst()) {
            inMemory.add(new LayerMapInfo.InMemory(true, frozen.lsnStart(), frozen.lsnEnd()));
        }
        List<LayerMapInfo.Historic> historic = new ArrayList<>();
        for (HistoricLayer layer : snapshot.historicNewestFirst()) {
            HistoricLayer.ResidenceEvent event = layer.lastResidenceEvent();
            historic.add(new LayerMapInfo.Historic(layer.descriptor(), layer.isResident(), layer.lastAccess(),
                    event == null ? null : new LayerMapInfo.ResidenceChange(event.resident(), event.reason(), event.at())));
        }
        return new LayerMapInfo(inMemory, historic);
    }

    /**
     * Makes the layer file resident, downloading it if it is not.
     *
     * @return false if it was resident already
     * @throws PageserverException NOT_FOUND if the timeline has no such layer
     */
    public boolean downloadLayer(LayerName name) {
        return timeline.read(() -> historic(name).download());
    }

    /**
     * Evicts the layer file: deleted from local disk, kept in the layer map, downloaded again by
     * the next read that needs it. Only a layer that {@code uploaded} says remote storage holds
     * under an uploaded index may go; none while compaction or GC runs.
     *
     * @return false if it was not resident
     * @throws PageserverException NOT_FOUND if the timeline has no such layer; CONFLICT if it is not uploaded yet;
     *     UNAVAILABLE if its file could not be deleted (it stays resident)
     */
    public boolean evictLayer(LayerName name, Predicate<LayerName> uploaded, String cause) {
        return maintenance.exclusive(() -> {
            HistoricLayer layer = historic(name);
            if (!uploaded.test(name)) {
                throw PageserverException.conflict("layer " + name + " is not uploaded to remote storage yet: it cannot"
                        + " be evicted");
            }
            return evict(layer, cause);
        });
    }

    /**
     * Eviction by policy (LayerAccessThreshold): every resident layer that remote storage holds
     * ({@code uploaded}) and that no read took a value from for {@code threshold} is evicted; one
     * whose file cannot be deleted stays resident and the others still go.
     *
     * @return the layers evicted
     */
    public int evictCold(Duration threshold, Predicate<LayerName> uploaded) {
        return maintenance.exclusive(() -> {
            long coldBefore = System.currentTimeMillis() - threshold.toMillis();
            int evicted = 0;
            for (HistoricLayer layer : timeline.layers().historicNewestFirst()) {
                try {
                    if (layer.isResident() && layer.idleSinceMillis() < coldBefore && uploaded.test(layer.descriptor().name())
                            && evict(layer, "layer_access_threshold")) {
                        evicted++;
                    }
                } catch (PageserverException e) {
                    // Logged and counted; the other layers still go.
                }
            }
            return evicted;
        });
    }

    /** A resident layer file that disk-usage eviction may take: its name, size, and since when no read used it. */
    public record ResidentLayer(LayerName name, long size, long idleSinceMillis) {
    }

    /** The resident layer files that {@code uploaded} says remote storage holds: what may leave local disk. */
    public List<ResidentLayer> evictable(Predicate<LayerName> uploaded) {
        List<ResidentLayer> evictable = new ArrayList<>();
        for (HistoricLayer layer : timeline.layers().historicNewestFirst()) {
            LayerName name = layer.descriptor().name();
            if (layer.isResident() && uploaded.test(name)) {
                evictable.add(new ResidentLayer(name, layer.descriptor().fileSize(), layer.idleSinceMillis()));
            }
        }
        return evictable;
    }

    /**
     * Evicts one layer. A file that cannot be deleted leaves the layer resident and readable (its
     * data is intact, the timeline stays Active): the failure is the layer's last residence event,
     * counted by cause, and a 503 to the caller.
     */
    private boolean evict(HistoricLayer layer, String cause) {
        TimelineMetadata m = timeline.metadata();
        LayerName name = layer.descriptor().name();
        long residence = layer.residenceMillis(System.currentTimeMillis());
        boolean evicted;
        try {
            evicted = layer.evict(() -> timeline.context().layerStore().evictLayer(m.tenantId(), m.timelineId(), name), cause);
        } catch (PageserverException e) {
            throw e;
        } catch (RuntimeException e) {
            timeline.meters().evictionFailed(cause);
            LOG.log(Level.WARNING, "timeline " + m.tenantId() + "/" + m.timelineId() + ": eviction of layer " + name
                    + " (" + cause + ") failed", e);
            throw PageserverException.unavailable("layer " + name + " could not be evicted: " + Failures.describe(e));
        }
        if (evicted) {
            timeline.meters().evicted(cause, residence < timeline.config().evictionsLowResidenceDurationMetricThreshold().toMillis());
            LOG.log(Level.DEBUG, "timeline {0}/{1}: evicted layer {2} ({3})", m.tenantId(), m.timelineId(), name, cause);
        }
        return evicted;
    }

    private HistoricLayer historic(LayerName name) {
        for (HistoricLayer layer : timeline.layers().historicNewestFirst()) {
            if (layer.descriptor().name().equals(name)) {
                return layer;
            }
        }
        TimelineMetadata m = timeline.metadata();
        throw PageserverException.notFound("layer " + name + " of timeline " + m.tenantId() + "/" + m.timelineId()
                + " was not found");
    }
}
