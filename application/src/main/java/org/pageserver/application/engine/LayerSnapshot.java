package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of a timeline at one moment, newest first: the open in-memory layer, the frozen ones
 * waiting for their flush, and the layer files. Immutable: a reader takes one snapshot and reads
 * it through, while freezes and flushes publish new snapshots.
 */
record LayerSnapshot(InMemoryLayer open, List<InMemoryLayer> frozenNewestFirst, List<HistoricLayer> historicNewestFirst) {

    LayerSnapshot {
        frozenNewestFirst = List.copyOf(frozenNewestFirst);
        historicNewestFirst = List.copyOf(historicNewestFirst);
    }

    /** Every layer, newest first. */
    List<ReadableLayer> newestFirst() {
        List<ReadableLayer> all = new ArrayList<>(1 + frozenNewestFirst.size() + historicNewestFirst.size());
        all.add(open);
        all.addAll(frozenNewestFirst);
        all.addAll(historicNewestFirst);
        return all;
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
        return new LayerSnapshot(newOpen, frozen, historicNewestFirst);
    }

    /** The oldest frozen layer replaced by the file it was flushed to. */
    LayerSnapshot withFlushed(InMemoryLayer flushed, HistoricLayer file) {
        List<InMemoryLayer> frozen = new ArrayList<>(frozenNewestFirst);
        frozen.remove(flushed);
        List<HistoricLayer> historic = new ArrayList<>();
        historic.add(file);
        historic.addAll(historicNewestFirst);
        return new LayerSnapshot(open, frozen, historic);
    }
}
