package org.pageserver.domain.layer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.GcResult;

/**
 * Which layer files a GC removes (Neon's rules): a layer goes only when it ends at or below both
 * cutoffs, no branch starts at or above its start, and an image layer at or above its last LSN and
 * below the new cutoff holds its whole key range, so that no read at or above the cutoff and no
 * branch can need it.
 * Each layer is counted under the first rule that keeps it.
 *
 * @param removed the layers to remove
 * @param counts  the counts, elapsed time not set
 */
public record GcPlan(List<LayerName> removed, GcResult counts) {

    public static GcPlan of(Collection<LayerName> layers, Lsn horizonCutoff, Lsn pitrCutoff, Collection<Lsn> retainLsns,
                            Lsn newCutoff) {
        List<LayerName> images = layers.stream().filter(LayerName::image).toList();
        List<LayerName> removed = new ArrayList<>();
        long byCutoff = 0;
        long byPitr = 0;
        long byBranches = 0;
        long notUpdated = 0;
        for (LayerName layer : layers) {
            if (layer.lsnEnd().isAfter(horizonCutoff)) {
                byCutoff++;
            } else if (layer.lsnEnd().isAfter(pitrCutoff)) {
                byPitr++;
            } else if (retainLsns.stream().anyMatch(branchPoint -> !layer.lsnStart().isAfter(branchPoint))) {
                byBranches++;
            } else if (!coveredByNewerImage(layer, images, newCutoff)) {
                notUpdated++;
            } else {
                removed.add(layer);
            }
        }
        return new GcPlan(List.copyOf(removed),
                new GcResult(layers.size(), byCutoff, byPitr, byBranches, notUpdated, removed.size(), 0));
    }

    /**
     * An image at an LSN in [layer's last LSN, cutoff) whose keys include all of the layer's. An
     * image at the layer's last LSN holds everything the layer holds (Neon asks for one at or above
     * its exclusive end, and so keeps the layer an image was just made on until the next image).
     */
    private static boolean coveredByNewerImage(LayerName layer, List<LayerName> images, Lsn newCutoff) {
        Lsn last = Lsn.of(layer.lsnEnd().value() - 1);
        for (LayerName image : images) {
            Lsn at = image.lsnStart();
            if (!image.equals(layer) && !at.isBefore(last) && at.isBefore(newCutoff)
                    && image.keyStart().compareTo(layer.keyStart()) <= 0 && image.keyEnd().compareTo(layer.keyEnd()) >= 0) {
                return true;
            }
        }
        return false;
    }
}
