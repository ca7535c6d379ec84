package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.List;
import org.pageserver.domain.layer.LayerMap;

/**
 * The layers of a timeline at one moment: the open in-memory layer, the frozen ones waiting for
 * their flush (newest first), and the layer files in their {@link LayerMap}. Immutable: a reader
 * takes one snapshot and reads it through, while freezes and flushes publish new snapshots.
 */
record LayerSnapshot(InMemoryLayer open, List<InMemoryLayer> frozenNewestFirst, LayerMap<HistoricLayer> historic) {

    LayerSnapshot {
        frozenNewestFirst = List.copyOf(frozenNewestFirst);
    }

    LayerSnapshot(InMemoryLayer open, List<InMemoryLayer> frozenNewestFirst, List<HistoricLayer> historic) {
        this(open, frozenNewestFirst, LayerMap.of(historic, layer -> layer.descriptor().name()));
    }

    /** The layer files, newest first. */
    List<HistoricLayer> historicNewestFirst() {
        return historic.layers();
    }

    /** The in-memory layers, open and frozen, newest first. */
    List<InMemoryLayer> inMemory() {
        List<InMemoryLayer> all = new ArrayList<>(1 + frozenNewestFirst.size());
        all.add(open);
        all.addAll(frozenNewestFirst);
        return all;
    }

    LayerSnapshot withFrozen(InMemoryLayer newOpen) {
        List<InMemoryLayer> frozen = new ArrayList<>();
        frozen.add(open);
        frozen.addAll(frozenNewestFirst);
        return new LayerSnapshot(newOpen, frozen, historic);
    }

    /** Layer files replaced by others in one step (maintenance: image layers, compaction, GC). */
    LayerSnapshot withReplaced(List<HistoricLayer> removed, List<HistoricLayer> added) {
        return new LayerSnapshot(open, frozenNewestFirst, historic.replace(removed, added));
    }

    /** The oldest frozen layer replaced by the file it was flushed to. */
    LayerSnapshot withFlushed(InMemoryLayer flushed, HistoricLayer file) {
        List<InMemoryLayer> frozen = new ArrayList<>(frozenNewestFirst);
        frozen.remove(flushed);
        return new LayerSnapshot(open, frozen, historic.replace(List.of(), List.of(file)));
    }
}
