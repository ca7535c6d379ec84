package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.pageserver.application.port.out.IngestFile.Placed;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;

/**
 * Writes a delta layer whole ({@link LayerFormat}, the format ingest files are sealed into):
 * the versions as they come, in key then LSN order, then one commit, then the tail that a seal
 * writes ({@link DeltaTail}). The commit makes the body what a scan of a sealed ingest file
 * expects, so that a whole check ({@link DeltaLayerReader#open(java.nio.file.Path, boolean)})
 * takes the file. It records the name's last LSN ({@code lsnEnd - 1}) and {@link Lsn#INVALID} as the
 * record before it: a writer is not told that record (the port has no place for it), so a start
 * that finds such a file unrecorded learns none from it ({@code LayerStore.verifyLayer}).
 *
 * <p>Memory: per version its LSN and position (16 bytes), per key its key and version count
 * (22 bytes); values go straight to the file's write buffer.
 */
final class DeltaLayerWriter extends WholeLayerWriter {
    private static final int KEY_RECORD = Key.ENCODED_SIZE + 4;

    private final Lsn lsnStart;
    private final int salt;
    /** The commit's checksum: every byte of the body up to it. */
    private final CRC32C bodyCrc = new CRC32C();
    private final CRC32C valueCrc = new CRC32C();
    private final ByteBuffer head = ByteBuffer.allocate(LayerFormat.VERSION_HEAD);
    /** Per key, in order: key:18B | versionCount:u32. */
    private ByteBuffer keys = ByteBuffer.allocate(256 * KEY_RECORD);
    /** Per version, in order: lsn, position. */
    private long[] refs = new long[512];
    private int entries;
    private Key firstKey;
    private Key lastKey;
    private Lsn lastLsn;
    private Lsn maxLsn;

    private DeltaLayerWriter(UnpublishedLayerFile file, Lsn lsnStart, int salt) {
        super(file);
        this.lsnStart = lsnStart;
        this.salt = salt;
    }

    /** Starts the file in {@code dir}, under a temporary name. */
    static DeltaLayerWriter create(Path dir, Lsn lsnStart, WriteMode mode) throws IOException {
        int salt = ThreadLocalRandom.current().nextInt();
        return new DeltaLayerWriter(UnpublishedLayerFile.create(dir, lsnStart, LayerFormat.header(salt, lsnStart), mode),
                lsnStart, salt);
    }

    @Override
    public void add(EncodedVersion version) {
        file.requireWritable();
        Key key = version.key();
        Lsn lsn = version.lsn();
        if (lsn.isBefore(lsnStart)) {
            throw new IllegalArgumentException(key + "@" + lsn + " is below the layer's first LSN " + lsnStart);
        }
        if (lastKey != null) {
            int c = key.compareTo(lastKey);
            if (c < 0 || c == 0 && !lastLsn.isBefore(lsn)) {
                throw new IllegalArgumentException("versions out of order: " + lastKey + "@" + lastLsn + " then " + key + "@" + lsn);
            }
        }
        if (entries == Integer.MAX_VALUE / 2 - 8) {
            throw new IllegalStateException(entries + " versions in one layer: cut it into smaller files");
        }
        ByteBuffer value = version.value().duplicate();
        valueCrc.reset();
        valueCrc.update(value.duplicate());
        head.clear().put(LayerFormat.TAG_VERSION);
        key.writeTo(head);
        head.putLong(lsn.value()).putInt(value.remaining()).putInt((int) valueCrc.getValue()).flip();
        bodyCrc.update(head.duplicate());
        bodyCrc.update(value.duplicate());
        long position = file.end();
        file.append(head);
        file.append(value);
        remember(key, lsn, position);
    }

    private void remember(Key key, Lsn lsn, long position) {
        if (!key.equals(lastKey)) {
            keys = GrowableBuffer.ensure(keys, KEY_RECORD);
            key.writeTo(keys);
            keys.putInt(0);
            firstKey = firstKey == null ? key : firstKey;
            lastKey = key;
        }
        keys.putInt(keys.position() - 4, keys.getInt(keys.position() - 4) + 1);
        if (2 * entries + 2 > refs.length) {
            refs = Arrays.copyOf(refs, (int) Math.min(Integer.MAX_VALUE - 8, 2L * refs.length));
        }
        refs[2 * entries] = lsn.value();
        refs[2 * entries + 1] = position;
        entries++;
        lastLsn = lsn;
        maxLsn = maxLsn == null ? lsn : Lsn.max(maxLsn, lsn);
    }

    @Override
    public long entries() {
        return entries;
    }

    @Override
    public LayerDescriptor finish(LayerName name) {
        if (entries == 0) {
            throw new IllegalArgumentException("nothing was added to delta layer file " + file.path());
        }
        if (name.image() || !name.lsnStart().equals(lsnStart) || !name.containsKey(firstKey) || !name.containsKey(lastKey)
                || !name.lsnEnd().isAfter(maxLsn)) {
            throw new IllegalArgumentException("delta layer " + name + " does not hold what was written: keys " + firstKey
                    + " to " + lastKey + " at LSNs " + lsnStart + " to " + maxLsn);
        }
        return file.finish(name, out -> {
            ByteBuffer commit = ByteBuffer.allocate(LayerFormat.COMMIT_SIZE);
            commit.put(LayerFormat.TAG_COMMIT).putLong(name.lsnEnd().value() - 1).putLong(Lsn.INVALID.value());
            bodyCrc.update(commit.array(), 0, LayerFormat.COMMIT_CHECKED);
            commit.putInt((int) bodyCrc.getValue() ^ salt);
            out.append(commit.flip());
            return DeltaTail.write(out, name, Lsn.INVALID, entries, placed());
        });
    }

    /** Every version written, in the order written (key then LSN), as a seal wants its index. */
    private Iterator<Placed> placed() {
        ByteBuffer records = keys.duplicate().flip();
        return new Iterator<>() {
            private int version;
            private Key key;
            private int left;

            @Override
            public boolean hasNext() {
                return version < entries;
            }

            @Override
            public Placed next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (left == 0) {
                    key = Key.readFrom(records);
                    left = records.getInt();
                }
                left--;
                Placed p = new Placed(key, Lsn.of(refs[2 * version]), refs[2 * version + 1]);
                version++;
                return p;
            }
        };
    }
}
