package org.pageserver.adapters.storage.layer;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.EncodedVersion;
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

    /** The versions as the layer store takes them, values encoded. */
    static Iterator<EncodedVersion> encoded(List<KeyVersion> versions) {
        return versions.stream().map(EncodedVersion::of).iterator();
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

    /** Versions as comparable text: values hold arrays, whose records compare by identity. */
    static List<String> text(List<Version> versions) {
        return versions.stream().map(v -> v.lsn() + "=" + HexFormat.of().formatHex(v.value().encode())).toList();
    }
}
