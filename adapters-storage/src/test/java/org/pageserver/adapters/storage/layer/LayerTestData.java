package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.application.port.out.IngestFile.Placed;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LayerWriter;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/** Versions of every value kind, and what a layer must answer for them. */
final class LayerTestData {
    static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    /** The order of a seal's index. */
    static final Comparator<Placed> INDEX_ORDER = Comparator.comparing(Placed::key).thenComparing(Placed::lsn);

    private LayerTestData() {
    }

    static Key block(long blkno) {
        return Key.block(REL, blkno);
    }

    static Value image(Random random) {
        byte[] page = new byte[Page.SIZE];
        random.nextBytes(page);
        return new Value.PageImage(page);
    }

    static Value delta(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        return new Value.PageDelta(List.of(new Patch(random.nextInt(Page.SIZE - bytes.length), bytes)));
    }

    /**
     * Writes a layer the way the engine does: versions appended to an ingest file as they would
     * arrive, in batches each made durable before the next, then sealed with the index sorted by
     * key then LSN, and published.
     */
    static LayerDescriptor writeLayer(LayerStore store, TenantId tenantId, TimelineId timelineId, LayerName name,
                                      List<KeyVersion> versions) {
        IngestFile file = store.createIngestFile(tenantId, timelineId, name.lsnStart());
        Ingested ingested = ingest(file, batches(arrivalOrder(versions)));
        LayerDescriptor layer = file.seal(name, ingested.prevLsn(), ingested.index());
        file.publish();
        return layer;
    }

    /**
     * The order versions arrive in: by LSN, the keys at one LSN shuffled. The seed is fixed, so
     * the same versions make the same file; the body is in this order, unlike the index.
     */
    static List<KeyVersion> arrivalOrder(List<KeyVersion> versions) {
        List<KeyVersion> arrival = new ArrayList<>(versions);
        Collections.shuffle(arrival, new Random(versions.size()));
        arrival.sort(Comparator.comparing(KeyVersion::lsn));
        return arrival;
    }

    /** About eight batches, each ending where the LSN changes: a record's versions are never split. */
    static List<List<KeyVersion>> batches(List<KeyVersion> arrival) {
        int target = Math.max(1, arrival.size() / 8);
        List<List<KeyVersion>> batches = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= arrival.size(); i++) {
            boolean last = i == arrival.size();
            if (last || (i - from >= target && !arrival.get(i).lsn().equals(arrival.get(i - 1).lsn()))) {
                batches.add(arrival.subList(from, i));
                from = i;
            }
        }
        return batches;
    }

    /**
     * What {@link #ingest} appended.
     *
     * @param placed  each version's place, in the order appended
     * @param ends    each batch's end in the file
     * @param lastLsn the last batch's last LSN, and the LSN of the record before it ({@link Lsn#INVALID} if none)
     */
    record Ingested(List<Placed> placed, List<Long> ends, Lsn lastLsn, Lsn prevLsn) {
        /** The index a seal wants: every version, sorted by key then LSN. */
        Iterator<Placed> index() {
            return placed.stream().sorted(INDEX_ORDER).iterator();
        }

        /** The name a flush gives these versions, and a start that seals them from a leftover file. */
        LayerName layerName(Lsn start) {
            return LayerName.l0(start, lastLsn.plus(1));
        }
    }

    /** Appends the batches in order, waiting for each to be durable as an acknowledgement would. */
    static Ingested ingest(IngestFile file, List<List<KeyVersion>> batches) {
        List<Placed> placed = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        Lsn last = Lsn.INVALID;
        Lsn prev = Lsn.INVALID;
        for (List<KeyVersion> batch : batches) {
            for (KeyVersion v : batch) {
                if (!v.lsn().equals(last)) {
                    prev = last;
                    last = v.lsn();
                }
            }
            long[] positions = new long[batch.size()];
            long end = file.append(batch.stream().map(EncodedVersion::of).toList(), last, prev, positions);
            file.awaitDurable(end);
            ends.add(end);
            for (int i = 0; i < batch.size(); i++) {
                placed.add(new Placed(batch.get(i).key(), batch.get(i).lsn(), positions[i]));
            }
        }
        return new Ingested(placed, ends, last, prev);
    }

    /**
     * Keys of all three kinds, each with one to {@code maxVersions} versions at distinct LSNs, in
     * {@link KeyVersion#ORDER}; a key's first version is sometimes a delta, so some reads end at
     * the oldest version rather than at an image.
     */
    static List<KeyVersion> mixed(Random random, int blocks, int maxVersions) {
        List<KeyVersion> versions = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            long lsn = 0x100 + random.nextInt(16);
            int n = 1 + random.nextInt(maxVersions);
            for (int v = 0; v < n; v++) {
                lsn += 1 + random.nextInt(32);
                versions.add(new KeyVersion(block(b * 3L), Lsn.of(lsn), random.nextInt(4) == 0 ? image(random) : delta(random)));
            }
        }
        long lsn = 0x100;
        for (int v = 0; v < maxVersions; v++) {
            lsn += 1 + random.nextInt(32);
            versions.add(new KeyVersion(Key.relSize(REL), Lsn.of(lsn),
                    new RelSize(v, true, List.of(new RelSize.Truncation(0x100 + v, v / 2)))));
            versions.add(new KeyVersion(Key.COMMIT, Lsn.of(lsn), new Value.CommitTimestamp(1_700_000_000_000_000L + v)));
        }
        versions.sort(KeyVersion.ORDER);
        return versions;
    }

    /** What {@code versions(key, maxLsn)} must return, computed the slow way. */
    static List<Version> expected(List<KeyVersion> all, Key key, Lsn maxLsn) {
        List<Version> newestFirst = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            KeyVersion v = all.get(i);
            if (v.key().equals(key) && !v.lsn().isAfter(maxLsn)) {
                newestFirst.add(new Version(v.lsn(), v.value()));
                if (v.value().willInit()) {
                    break;
                }
            }
        }
        return newestFirst;
    }

    /**
     * Reads every key of {@code versions} from the layer, at the newest LSN and at five random LSNs
     * in [{@code from}, {@code from + span}), and compares each answer with {@link #expected}.
     */
    static void assertReadsLike(LayerReader reader, List<KeyVersion> versions, Random random, Lsn from, int span) {
        for (Key key : versions.stream().map(KeyVersion::key).distinct().toList()) {
            assertEquals(text(expected(versions, key, Lsn.MAX)), text(reader.versions(key, Lsn.MAX)), "key " + key);
            for (int probe = 0; probe < 5; probe++) {
                Lsn maxLsn = from.plus(random.nextInt(span));
                assertEquals(text(expected(versions, key, maxLsn)), text(reader.versions(key, maxLsn)),
                        "key " + key + " at " + maxLsn);
            }
        }
    }

    /** A delta of at least {@code bytes} encoded bytes: whole-page patches, the last one cut to fit. */
    static Value bigDelta(Random random, int bytes) {
        List<Patch> patches = new ArrayList<>();
        for (int size = 3; size < bytes; ) {
            byte[] patch = new byte[Math.min(Page.SIZE, Math.max(0, bytes - size - 4))];
            random.nextBytes(patch);
            patches.add(new Patch(0, patch));
            size += 4 + patch.length;
        }
        return new Value.PageDelta(patches);
    }

    /**
     * Adds the versions to a writer in their order, finishes it as {@code name} and publishes it;
     * discards it if any step fails.
     */
    static LayerDescriptor writeWhole(LayerWriter writer, LayerName name, List<KeyVersion> versions) {
        boolean published = false;
        try {
            versions.forEach(v -> writer.add(EncodedVersion.of(v)));
            LayerDescriptor layer = writer.finish(name);
            writer.publish();
            published = true;
            return layer;
        } finally {
            if (!published) {
                writer.discard();
            }
        }
    }

    /** What a scan yields, as comparable text ({@code key@lsn=encoded value}); each value must be exactly its bytes. */
    static List<String> scanned(LayerReader reader) {
        List<String> versions = new ArrayList<>();
        reader.scan().forEachRemaining(v -> {
            assertEquals(0, v.value().position(), "a scanned value starts at position 0");
            byte[] bytes = new byte[v.value().remaining()];
            v.value().duplicate().get(bytes);
            versions.add(v.key() + "@" + v.lsn() + "=" + HexFormat.of().formatHex(bytes));
        });
        return versions;
    }

    /** What a scan of a layer of {@code versions} must yield, in {@link #scanned}'s form: key then LSN order. */
    static List<String> scanOrder(List<KeyVersion> versions) {
        return versions.stream().sorted(KeyVersion.ORDER)
                .map(v -> v.key() + "@" + v.lsn() + "=" + HexFormat.of().formatHex(v.value().encode())).toList();
    }

    /** Versions as comparable text: values hold arrays, whose records compare by identity. */
    static List<String> text(List<Version> versions) {
        return versions.stream().map(v -> v.lsn() + "=" + HexFormat.of().formatHex(v.value().encode())).toList();
    }
}
