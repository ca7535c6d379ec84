package org.pageserver.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LayerWriter;
import org.pageserver.domain.layer.KeyRange;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * Level 0 to level 1 compaction (Neon's compact_level0): the L0 delta layers, each holding every
 * key that changed in its LSN range, are merged into L1 delta layers over their whole LSN range
 * cut into key ranges of about compaction_target_size, so that a read of a key visits one L1
 * layer for that range instead of every L0.
 *
 * <p>Streaming: the inputs are read in key order one version at a time ({@code LayerReader.scan})
 * and merged through a heap holding one version per input; each output is written as the merge
 * goes and cut at a key boundary once it reaches the target size or {@link #MAX_ENTRIES} versions
 * (what its writer keeps in memory grows with the versions, not with their bytes). Memory is thus
 * bounded by the number of inputs and the settings, never by the size of the input.
 */
final class L0Compaction {
    /** Versions in one output file at most: its writer keeps about 16 bytes of index per version. */
    static final long MAX_ENTRIES = 1 << 20;
    /** Versions merged between two looks at whether the timeline is stopping, or the time to log progress. */
    private static final int STOP_CHECK = 4096;
    private static final long PROGRESS_LOG_NANOS = 10_000_000_000L;
    private static final Logger LOG = System.getLogger(L0Compaction.class.getName());

    private L0Compaction() {
    }

    /** The merge's result: the L1 layers written and published (not yet recorded), and what they replace. */
    /**
     * What a merge did; {@code touched}: for each of the partitions given to it, in their order,
     * the inputs that held versions of its keys (what the image plan counts them by).
     */
    record Result(List<HistoricLayer> inputs, List<LayerDescriptor> outputs, long bytesRead,
                  List<List<LayerName>> touched) {
    }

    /** The L0 layers, oldest first. */
    static List<HistoricLayer> l0Layers(List<HistoricLayer> historic) {
        return historic.stream().filter(l -> l.descriptor().name().isL0())
                .sorted(Comparator.comparing(HistoricLayer::lsnStart)).toList();
    }

    /**
     * Merges {@code inputs} (L0 layers, oldest first, with adjoining LSN ranges) into L1 layers and
     * publishes them; on any failure deletes what it wrote and rethrows.
     *
     * @param partitions the key partitions, tiling the key space in order: the result says which
     *                   inputs held keys of each, noted as the keys go by
     * @param stopping polled as it goes: when true it drops what it wrote and returns null
     */
    static Result merge(TimelineData timeline, List<HistoricLayer> inputs, long targetSize, List<KeyRange> partitions,
                        BooleanSupplier stopping) {
        TimelineMetadata m = timeline.metadata();
        LayerStore store = timeline.context().layerStore();
        Lsn lsnStart = inputs.get(0).lsnStart();
        Lsn lsnEnd = inputs.get(inputs.size() - 1).descriptor().name().lsnEnd();
        List<LayerDescriptor> published = new ArrayList<>();
        LayerWriter writer = null;
        boolean done = false;
        try {
            PriorityQueue<Head> heads = new PriorityQueue<>();
            for (int i = 0; i < inputs.size(); i++) {
                Head head = new Head(inputs.get(i).scan(), i);
                if (head.advance()) {
                    heads.add(head);
                }
            }
            long bytesRead = 0;
            long inputBytes = inputs.stream().mapToLong(l -> l.descriptor().fileSize()).sum();
            long nextLog = System.nanoTime() + PROGRESS_LOG_NANOS;
            Key first = null;
            Key last = null;
            int sinceCheck = 0;
            List<java.util.BitSet> touched = new ArrayList<>();
            partitions.forEach(p -> touched.add(new java.util.BitSet()));
            int partition = 0;
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                EncodedVersion version = head.current;
                // Keys come in order: the partition only moves forward.
                while (partition < partitions.size() - 1 && version.key().compareTo(partitions.get(partition).end()) >= 0) {
                    partition++;
                }
                if (!partitions.isEmpty()) {
                    touched.get(partition).set(head.order);
                }
                if (writer != null && !version.key().equals(last)
                        && (writer.bytesWritten() >= targetSize || writer.entries() >= MAX_ENTRIES)) {
                    published.add(publish(writer, LayerName.deltaOfKeys(first, last, lsnStart, lsnEnd)));
                    writer = null;
                }
                if (writer == null) {
                    writer = store.createDeltaWriter(m.tenantId(), m.timelineId(), lsnStart);
                    first = version.key();
                }
                writer.add(version);
                bytesRead += Key.ENCODED_SIZE + 8 + version.value().remaining();
                last = version.key();
                if (head.advance()) {
                    heads.add(head);
                }
                if (++sinceCheck == STOP_CHECK) {
                    sinceCheck = 0;
                    if (stopping.getAsBoolean()) {
                        return null;
                    }
                    if (System.nanoTime() > nextLog) {
                        nextLog += PROGRESS_LOG_NANOS;
                        LOG.log(Level.INFO, "timeline {0}/{1}: compacting {2} L0 layers: {3} of about {4} bytes merged, {5} L1"
                                + " layers written", m.tenantId(), m.timelineId(), inputs.size(), bytesRead, inputBytes,
                                published.size());
                    }
                }
            }
            if (writer != null) {
                published.add(publish(writer, LayerName.deltaOfKeys(first, last, lsnStart, lsnEnd)));
                writer = null;
            }
            done = true;
            List<List<LayerName>> touchedBy = new ArrayList<>();
            for (java.util.BitSet bits : touched) {
                touchedBy.add(bits.stream().mapToObj(i -> inputs.get(i).descriptor().name()).toList());
            }
            return new Result(inputs, List.copyOf(published), bytesRead, touchedBy);
        } finally {
            if (!done) {
                if (writer != null) {
                    writer.discard();
                }
                for (LayerDescriptor output : published) {
                    store.deleteLayer(m.tenantId(), m.timelineId(), output.name());
                }
            }
        }
    }

    private static LayerDescriptor publish(LayerWriter writer, LayerName name) {
        if (name.isL0()) {
            // Keys at both ends of the key space: named so, the layer would read as an L0 again.
            throw new IllegalStateException("a compaction output would span the whole key space: " + name);
        }
        LayerDescriptor written = writer.finish(name);
        writer.publish();
        return written;
    }

    /** One input's next version; inputs hold adjoining LSN ranges, so (key, LSN) never ties. */
    private static final class Head implements Comparable<Head> {
        private final Iterator<EncodedVersion> versions;
        private final int order;
        private EncodedVersion current;

        Head(Iterator<EncodedVersion> versions, int order) {
            this.versions = versions;
            this.order = order;
        }

        boolean advance() {
            current = versions.hasNext() ? versions.next() : null;
            return current != null;
        }

        @Override
        public int compareTo(Head o) {
            int c = current.key().compareTo(o.current.key());
            if (c == 0) {
                c = current.lsn().compareTo(o.current.lsn());
            }
            return c == 0 ? Integer.compare(order, o.order) : c;
        }
    }
}
