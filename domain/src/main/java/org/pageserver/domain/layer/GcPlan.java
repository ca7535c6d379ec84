package org.pageserver.domain.layer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.timeline.GcResult;

/**
 * Which layer files a GC removes (Neon's rules): a layer goes only when it ends at or below both
 * cutoffs, no branch reads it, and image layers at or above its last LSN and below the new cutoff
 * hold its whole key range between them, so that no read at or above the cutoff can need it.
 *
 * <p>Branches: a branch that may still read below its branch point (its own GC cutoff is below
 * it) keeps every layer starting at or below the branch point, as in Neon. A branch whose GC
 * cutoff has passed its branch point reads its parent only at that point (a snapshot LSN): it
 * keeps a layer unless images at or above the layer's last LSN and at or below the point hold its
 * keys. GC makes images at such points, so that a long-lived branch does not keep its parent's
 * whole history below it.
 * Each layer is counted under the first rule that keeps it.
 *
 * @param removed the layers to remove
 * @param counts  the counts, elapsed time not set
 */
public record GcPlan(List<LayerName> removed, GcResult counts) {

    public static GcPlan of(Collection<LayerName> layers, Lsn horizonCutoff, Lsn pitrCutoff, Collection<Lsn> retainLsns,
                            Lsn newCutoff) {
        return of(layers, horizonCutoff, pitrCutoff, retainLsns, List.of(), newCutoff);
    }

    /**
     * @param retainLsns   branch points whose branches may read below them
     * @param snapshotLsns branch points whose branches read their parent only there
     */
    public static GcPlan of(Collection<LayerName> layers, Lsn horizonCutoff, Lsn pitrCutoff, Collection<Lsn> retainLsns,
                            Collection<Lsn> snapshotLsns, Lsn newCutoff) {
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
            } else if (retainLsns.stream().anyMatch(branchPoint -> !layer.lsnStart().isAfter(branchPoint))
                    || snapshotLsns.stream().anyMatch(point -> !layer.lsnStart().isAfter(point)
                    && !coveredByNewerImages(layer, images, point.plus(1)))) {
                byBranches++;
            } else if (!coveredByNewerImages(layer, images, newCutoff)) {
                notUpdated++;
            } else {
                removed.add(layer);
            }
        }
        return new GcPlan(List.copyOf(removed),
                new GcResult(layers.size(), byCutoff, byPitr, byBranches, notUpdated, removed.size(), 0));
    }

    /**
     * Whether images at LSNs in [layer's last LSN, {@code below}) hold every key of the layer's range
     * between them. An image at the layer's last LSN holds everything the layer holds (Neon asks for
     * one at or above its exclusive end, and so keeps the layer an image was just made on until the
     * next image); an image layer is covered only by newer images, never by others at its own LSN.
     */
    public static boolean coveredByNewerImages(LayerName layer, Collection<LayerName> images, Lsn below) {
        Lsn last = Lsn.of(layer.lsnEnd().value() - 1);
        List<LayerName> covering = new ArrayList<>();
        for (LayerName image : images) {
            Lsn at = image.lsnStart();
            boolean newer = layer.image() ? at.isAfter(last) : !at.isBefore(last);
            if (image.image() && newer && at.isBefore(below) && KeyRange.of(image).overlaps(KeyRange.of(layer))) {
                covering.add(image);
            }
        }
        covering.sort(Comparator.comparing(LayerName::keyStart));
        Key reached = layer.keyStart();
        for (LayerName image : covering) {
            if (image.keyStart().compareTo(reached) > 0) {
                return false;
            }
            if (image.keyEnd().compareTo(reached) > 0) {
                reached = image.keyEnd();
            }
            if (reached.compareTo(layer.keyEnd()) >= 0) {
                return true;
            }
        }
        return false;
    }
}
