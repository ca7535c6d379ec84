package org.pageserver.domain.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelTag;

/**
 * The layer map against brute force: random sets of delta layers (L0s over every key, L1s
 * partitioning the keys, with gaps) and image layers (any key range, overlapping each other), and
 * for random keys and LSNs the newest layers found by scanning them all, and the versions a read
 * walks through against every version of the key sorted newest first up to the first image.
 */
class LayerMapTest {
    private static final RelTag REL = new RelTag(1663, 5, 16384, 0);
    private static final int KEYS = 40;

    /** A layer and the LSNs of its versions per key (an image: one version of every key, at its LSN). */
    record TestLayer(int id, LayerName name, TreeMap<Key, List<Long>> versions) {
    }

    private static Key key(int blk) {
        return Key.block(REL, blk);
    }

    @Test
    void newestLayersMatchAScanOfAllOfThem() {
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            List<TestLayer> layers = randomLayers(random);
            LayerMap<TestLayer> map = LayerMap.of(layers, TestLayer::name);
            for (int q = 0; q < 300; q++) {
                Key key = key(random.nextInt(KEYS + 1));
                Lsn lsn = Lsn.of(900 + random.nextInt(1300));
                assertSame(scan(layers, key, lsn, false), map.newestDelta(key, lsn), "seed " + seed + " " + key + " @" + lsn);
                TestLayer image = scan(layers, key, lsn, true);
                TestLayer found = map.newestImage(key, lsn);
                // Two images holding a key may share an LSN; either one answers.
                assertEquals(image == null ? null : image.name().lsnStart(), found == null ? null : found.name().lsnStart(),
                        "seed " + seed + " " + key + " @" + lsn);
            }
        }
    }

    @Test
    void aReadWalksExactlyTheVersionsItNeeds() {
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            List<TestLayer> layers = randomLayers(random);
            LayerMap<TestLayer> map = LayerMap.of(layers, TestLayer::name);
            for (int q = 0; q < 300; q++) {
                Key key = key(random.nextInt(KEYS));
                Lsn lsn = Lsn.of(900 + random.nextInt(1300));
                assertEquals(expectedVersions(layers, key, lsn), walk(map, key, lsn), "seed " + seed + " " + key + " @" + lsn);
            }
        }
    }

    @Test
    void replacingLayersIsANewMapAndLeavesTheOldOneAsItWas() {
        Random random = new Random(7);
        List<TestLayer> layers = randomLayers(random);
        LayerMap<TestLayer> before = LayerMap.of(layers, TestLayer::name);
        List<TestLayer> removed = layers.subList(0, layers.size() / 2);
        TestLayer added = new TestLayer(-1, LayerName.image(key(0), key(KEYS), Lsn.of(5000)), new TreeMap<>());
        LayerMap<TestLayer> after = before.replace(removed, List.of(added));
        assertEquals(layers.size() - removed.size() + 1, after.size());
        assertEquals(layers.size(), before.size());
        assertSame(added, after.newestImage(key(3), Lsn.of(6000)));
        assertEquals(scan(layers, key(3), Lsn.of(6000), true), before.newestImage(key(3), Lsn.of(6000)));
        assertEquals(after.layers().stream().sorted(Comparator.comparing(TestLayer::name).reversed()).toList(), after.layers());
    }

    @Test
    void anEmptyMapFindsNothing() {
        LayerMap<TestLayer> map = LayerMap.of(List.of(), TestLayer::name);
        assertNull(map.newestDelta(key(1), Lsn.MAX));
        assertNull(map.nextToRead(key(1), Lsn.MAX));
    }

    /** Deltas in LSN segments (an L0, or L1s over parts of the keys), images anywhere, on the key space [0, KEYS). */
    private static List<TestLayer> randomLayers(Random random) {
        List<TestLayer> layers = new ArrayList<>();
        long lsn = 1000;
        int segments = 1 + random.nextInt(12);
        for (int s = 0; s < segments; s++) {
            long end = lsn + 1 + random.nextInt(100);
            if (random.nextBoolean()) {
                layers.add(delta(layers.size(), Key.MIN, Key.MAX, lsn, end, random));
            } else {
                int from = 0;
                while (from < KEYS) {
                    int to = Math.min(KEYS, from + 1 + random.nextInt(15));
                    if (random.nextInt(4) > 0) {
                        layers.add(delta(layers.size(), key(from), key(to), lsn, end, random));
                    }
                    from = to;
                }
            }
            lsn = end;
        }
        for (int i = random.nextInt(8); i > 0; i--) {
            int from = random.nextInt(KEYS);
            int to = from + 1 + random.nextInt(KEYS - from);
            long at = 1000 + random.nextInt((int) (lsn - 1000 + 50));
            TreeMap<Key, List<Long>> versions = new TreeMap<>();
            for (int k = from; k < to; k++) {
                versions.put(key(k), List.of(at));
            }
            layers.add(new TestLayer(layers.size(), LayerName.image(key(from), key(to), Lsn.of(at)), versions));
        }
        return layers;
    }

    private static TestLayer delta(int id, Key from, Key to, long start, long end, Random random) {
        TreeMap<Key, List<Long>> versions = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            Key key = key(k);
            if (key.compareTo(from) >= 0 && key.compareTo(to) < 0 && random.nextInt(3) > 0) {
                List<Long> lsns = new ArrayList<>();
                for (int v = random.nextInt(3); v >= 0; v--) {
                    lsns.add(start + random.nextInt((int) (end - start)));
                }
                versions.put(key, lsns);
            }
        }
        return new TestLayer(id, new LayerName(from, to, Lsn.of(start), Lsn.of(end)), versions);
    }

    private static TestLayer scan(List<TestLayer> layers, Key key, Lsn lsn, boolean image) {
        TestLayer best = null;
        for (TestLayer layer : layers) {
            LayerName name = layer.name();
            if (name.image() == image && name.containsKey(key) && !name.lsnStart().isAfter(lsn)
                    && (best == null || name.lsnStart().isAfter(best.name().lsnStart()))) {
                best = layer;
            }
        }
        return best;
    }

    /** A version as the test tells them apart: its LSN, and whether an image gave it. */
    record Seen(long lsn, boolean image) {
    }

    /** Every version of the key at or below lsn, newest first (an image before a delta's version at its LSN), through the first image. */
    private static List<Seen> expectedVersions(List<TestLayer> layers, Key key, Lsn lsn) {
        List<Seen> all = new ArrayList<>();
        for (TestLayer layer : layers) {
            for (long v : layer.versions().getOrDefault(key, List.of())) {
                if (v <= lsn.value()) {
                    all.add(new Seen(v, layer.name().image()));
                }
            }
        }
        all.sort(Comparator.comparingLong(Seen::lsn).reversed().thenComparing(Seen::image, Comparator.reverseOrder()));
        List<Seen> needed = new ArrayList<>();
        for (Seen seen : all) {
            if (!needed.isEmpty() && needed.get(needed.size() - 1).image()) {
                break;
            }
            needed.add(seen);
        }
        return needed;
    }

    /** The versions a read following the map's steps takes, newest first. */
    private static List<Seen> walk(LayerMap<TestLayer> map, Key key, Lsn lsn) {
        List<Seen> out = new ArrayList<>();
        Lsn at = lsn;
        while (at != null) {
            LayerMap.Step<TestLayer> step = map.nextToRead(key, at);
            if (step == null) {
                break;
            }
            if (step.delta() != null) {
                List<Long> lsns = new ArrayList<>(step.delta().versions().getOrDefault(key, List.of()));
                lsns.sort(Comparator.reverseOrder());
                for (long v : lsns) {
                    if (v <= at.value() && (step.floor() == null || v > step.floor().value())) {
                        out.add(new Seen(v, false));
                    }
                }
            }
            if (step.image() != null) {
                for (long v : step.image().versions().getOrDefault(key, List.of())) {
                    out.add(new Seen(v, true));
                }
            }
            at = step.next();
        }
        return out;
    }
}
