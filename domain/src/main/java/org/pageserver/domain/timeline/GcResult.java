package org.pageserver.domain.timeline;

/**
 * What one GC of a timeline did (Neon's GcResult, the answer of {@code PUT …/do_gc}): every layer
 * file counted once, under the first reason that keeps it, or as removed.
 *
 * @param layersTotal            the layer files looked at
 * @param layersNeededByCutoff   kept: they reach above last_record_lsn - gc_horizon
 * @param layersNeededByPitr     kept: they reach above the LSN of now - pitr_interval
 * @param layersNeededByBranches kept: a branch starts at or above where they start
 * @param layersNotUpdated       kept: no newer image layer below the cutoff covers their keys
 * @param layersRemoved          removed
 * @param elapsedMs              how long it took
 */
public record GcResult(long layersTotal, long layersNeededByCutoff, long layersNeededByPitr, long layersNeededByBranches,
                       long layersNotUpdated, long layersRemoved, long elapsedMs) {

    /** Nothing to do: the cutoff would not move. */
    public static final GcResult NOTHING = new GcResult(0, 0, 0, 0, 0, 0, 0);

    public GcResult withElapsedMs(long ms) {
        return new GcResult(layersTotal, layersNeededByCutoff, layersNeededByPitr, layersNeededByBranches, layersNotUpdated,
                layersRemoved, ms);
    }
}
