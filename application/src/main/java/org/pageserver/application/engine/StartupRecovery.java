package org.pageserver.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * What a start makes of a stored timeline's layer files before it serves them (see
 * {@link TimelineData#load}): the recorded layers and the files on disk are brought to agree, after
 * whatever crash came last. Lost recordings are made again, leftover ingest files are sealed into
 * layers, and files nothing records are deleted; a recorded file that is missing fails the load.
 */
final class StartupRecovery {
    private static final Logger LOG = System.getLogger(StartupRecovery.class.getName());

    private StartupRecovery() {
    }

    /**
     * The timeline after recovery.
     *
     * @param metadata the metadata with the LSNs the recovered layers reach
     * @param layers   every layer of the timeline, in no particular order
     */
    record Recovered(TimelineMetadata metadata, List<LayerDescriptor> layers) {
    }

    /** Recovers the timeline {@code metadata} describes, whose recorded layers are {@code layerRows}. */
    static Recovered recover(EngineContext context, TimelineMetadata metadata, List<LayerDescriptor> layerRows,
                             boolean remoteHasLayers) {
        List<LayerDescriptor> recorded = new ArrayList<>(layerRows);
        LayerStore.TimelineFiles files = context.layerStore().listFiles(metadata.tenantId(), metadata.timelineId());
        Set<LayerName> present = new HashSet<>(files.layers());
        TimelineMetadata current = recordLostLayers(context, metadata, recorded, present);
        if (files.leftovers()) {
            current = recoverLeftovers(context, current, recorded, present);
        }
        Set<LayerName> recordedNames = new HashSet<>();
        int remoteOnly = 0;
        for (LayerDescriptor layer : recorded) {
            recordedNames.add(layer.name());
            if (!present.contains(layer.name())) {
                if (!remoteHasLayers) {
                    throw new IllegalStateException("layer file " + layer.name() + " of timeline " + current.tenantId()
                            + "/" + current.timelineId() + " is recorded but missing from local disk");
                }
                remoteOnly++;
            }
        }
        for (LayerName stray : present) {
            if (!recordedNames.contains(stray)) {
                LOG.log(Level.WARNING, "timeline {0}/{1}: removing layer file {2}, which no metadata records",
                        current.tenantId(), current.timelineId(), stray);
                context.layerStore().deleteLayer(current.tenantId(), current.timelineId(), stray);
            }
        }
        if (remoteOnly > 0) {
            LOG.log(Level.INFO, "timeline {0}/{1}: {2} recorded layer files are not on local disk: each is downloaded from"
                    + " remote storage at its first read", current.tenantId(), current.timelineId(), remoteOnly);
        }
        return new Recovered(current, recorded);
    }

    /**
     * Records again, oldest first, the published layer files that continue the timeline from its
     * disk_consistent_lsn but are not recorded. A flush records a layer and then renames its file; a
     * database that does not force its commits can lose the recording in an OS crash that keeps the
     * rename, and the file then holds batches that were acknowledged (their ingest file is gone).
     * Such a file was sealed and forced before its rename, so it is whole: it is checked, and a
     * damaged one fails the load rather than being deleted. Newer ingest files continue from it.
     *
     * @param recorded the recorded layers, to which the newly recorded ones are added
     * @param present    the published layer files on disk
     * @return the metadata with the LSNs the recorded files reach
     */
    private static TimelineMetadata recordLostLayers(EngineContext context, TimelineMetadata metadata,
                                                     List<LayerDescriptor> recorded, Set<LayerName> present) {
        Set<LayerName> recordedNames = new HashSet<>();
        recorded.forEach(d -> recordedNames.add(d.name()));
        List<LayerName> unrecorded = present.stream()
                .filter(name -> !recordedNames.contains(name))
                .sorted()
                .toList();
        TimelineMetadata current = metadata;
        for (LayerName name : unrecorded) {
            if (!name.lsnStart().equals(current.diskConsistentLsn().plus(1))) {
                continue;
            }
            LayerStore.LayerEnd end = context.layerStore().verifyLayer(current.tenantId(), current.timelineId(), name);
            current = current.withLsns(end.lastLsn(), end.prevLsn(), end.lastLsn());
            context.saveLayers().saveFlushedLayer(current, end.layer());
            recorded.add(end.layer());
            LOG.log(Level.WARNING, "timeline {0}/{1}: recorded layer {2} again: its file was published but its recording"
                    + " was lost (a crash the metadata database did not survive whole); last_record_lsn {3}",
                    current.tenantId(), current.timelineId(), name, end.lastLsn());
        }
        return current;
    }

    /**
     * Records the layers sealed from leftover ingest files, oldest first, as a flush would have:
     * each continues the timeline from its disk_consistent_lsn. One whose recording the crash
     * came after only needs its rename; one that does not continue the timeline (an older layer
     * lost its tail, so nothing in this one was acknowledged) is deleted.
     *
     * @param recorded the recorded layers, to which the newly recorded ones are added
     * @param present  the published layer files on disk, to which the newly published ones are added
     * @return the metadata with the LSNs the recovered layers reach
     */
    private static TimelineMetadata recoverLeftovers(EngineContext context, TimelineMetadata metadata,
                                                     List<LayerDescriptor> recorded, Set<LayerName> present) {
        TimelineMetadata current = metadata;
        for (LayerStore.SealedLeftover leftover : context.layerStore().sealLeftovers(metadata.tenantId(), metadata.timelineId())) {
            LayerName name = leftover.layer().name();
            if (recorded.stream().anyMatch(d -> d.name().equals(name))) {
                leftover.file().publish();
                present.add(name);
            } else if (name.lsnStart().equals(current.diskConsistentLsn().plus(1))) {
                current = current.withLsns(leftover.lastLsn(), leftover.prevLsn(), leftover.lastLsn());
                context.saveLayers().saveFlushedLayer(current, leftover.layer());
                leftover.file().publish();
                present.add(name);
                recorded.add(leftover.layer());
                LOG.log(Level.INFO, "timeline {0}/{1}: recovered {2} ({3} bytes) from its ingest file; last_record_lsn {4}",
                        current.tenantId(), current.timelineId(), name, leftover.layer().fileSize(), leftover.lastLsn());
            } else {
                LOG.log(Level.WARNING, "timeline {0}/{1}: deleting ingest file of {2}, which does not continue from "
                                + "disk_consistent_lsn {3}: none of it was acknowledged", current.tenantId(), current.timelineId(),
                        name, current.diskConsistentLsn());
                leftover.file().discard();
            }
        }
        return current;
    }
}
