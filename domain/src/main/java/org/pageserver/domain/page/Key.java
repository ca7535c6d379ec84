package org.pageserver.domain.page;

import java.nio.ByteBuffer;

/**
 * A position in a timeline's key space: 18 bytes, ordered byte by byte, as Neon's keys are
 * ({@code kind:u8 spc:u32 db:u32 rel:u32 fork:u8 blk:u32}). Three kinds live in it:
 * <ul>
 *   <li>{@link #KIND_BLOCK}: one block of a relation;</li>
 *   <li>{@link #KIND_REL_SIZE}: a relation's size (and whether it exists); all sizes of one
 *       database are adjacent, so listing a database's relations is one range scan;</li>
 *   <li>{@link #KIND_COMMIT}: the single key whose versions are the timeline's commit timestamps.</li>
 * </ul>
 */
public record Key(int kind, long spc, long db, long rel, int fork, long blk) implements Comparable<Key> {
    public static final int ENCODED_SIZE = 18;
    public static final int KIND_BLOCK = 0;
    public static final int KIND_REL_SIZE = 1;
    public static final int KIND_COMMIT = 2;

    public static final Key MIN = new Key(0, 0, 0, 0, 0, 0);
    /** Above every key in use: the exclusive end of "the whole key space". */
    public static final Key MAX = new Key(0xFF, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFF, 0xFFFF_FFFFL);
    public static final Key COMMIT = new Key(KIND_COMMIT, 0, 0, 0, 0, 0);

    public Key {
        if (kind < 0 || kind > 0xFF || fork < 0 || fork > 0xFF) {
            throw new IllegalArgumentException("key byte field out of range");
        }
        RelTag.requireU32(spc, "spc");
        RelTag.requireU32(db, "db");
        RelTag.requireU32(rel, "rel");
        RelTag.requireU32(blk, "blk");
    }

    public static Key block(RelTag rel, long blkno) {
        return new Key(KIND_BLOCK, rel.spcnode(), rel.dbnode(), rel.relnode(), rel.forknum(), blkno);
    }

    public static Key relSize(RelTag rel) {
        return new Key(KIND_REL_SIZE, rel.spcnode(), rel.dbnode(), rel.relnode(), rel.forknum(), 0);
    }

    /** The first size key of a database; {@link #dbSizeRangeEnd} is the exclusive end of its size keys. */
    public static Key dbSizeRangeStart(long spc, long db) {
        return new Key(KIND_REL_SIZE, spc, db, 0, 0, 0);
    }

    public static Key dbSizeRangeEnd(long spc, long db) {
        return db < 0xFFFF_FFFFL ? new Key(KIND_REL_SIZE, spc, db + 1, 0, 0, 0)
                : spc < 0xFFFF_FFFFL ? new Key(KIND_REL_SIZE, spc + 1, 0, 0, 0, 0)
                : new Key(KIND_REL_SIZE + 1, 0, 0, 0, 0, 0);
    }

    /** All size keys of every database. */
    public static Key allSizesStart() {
        return new Key(KIND_REL_SIZE, 0, 0, 0, 0, 0);
    }

    public static Key allSizesEnd() {
        return new Key(KIND_REL_SIZE + 1, 0, 0, 0, 0, 0);
    }

    public RelTag relTag() {
        return new RelTag(spc, db, rel, fork);
    }

    /** The next key in order: the exclusive end of a range holding only this key. */
    public Key next() {
        if (blk < 0xFFFF_FFFFL) {
            return new Key(kind, spc, db, rel, fork, blk + 1);
        }
        if (fork < 0xFF) {
            return new Key(kind, spc, db, rel, fork + 1, 0);
        }
        if (rel < 0xFFFF_FFFFL) {
            return new Key(kind, spc, db, rel + 1, 0, 0);
        }
        if (db < 0xFFFF_FFFFL) {
            return new Key(kind, spc, db + 1, 0, 0, 0);
        }
        if (spc < 0xFFFF_FFFFL) {
            return new Key(kind, spc + 1, 0, 0, 0, 0);
        }
        return new Key(kind + 1, 0, 0, 0, 0, 0);
    }

    public void writeTo(ByteBuffer buffer) {
        buffer.put((byte) kind).putInt((int) spc).putInt((int) db).putInt((int) rel).put((byte) fork).putInt((int) blk);
    }

    public static Key readFrom(ByteBuffer buffer) {
        int kind = buffer.get() & 0xFF;
        long spc = buffer.getInt() & 0xFFFF_FFFFL;
        long db = buffer.getInt() & 0xFFFF_FFFFL;
        long rel = buffer.getInt() & 0xFFFF_FFFFL;
        int fork = buffer.get() & 0xFF;
        long blk = buffer.getInt() & 0xFFFF_FFFFL;
        return new Key(kind, spc, db, rel, fork, blk);
    }

    /** 36 hex digits, as in layer file names. */
    public String toHex() {
        return String.format("%02X%08X%08X%08X%02X%08X", kind, spc, db, rel, fork, blk);
    }

    public static Key parseHex(String hex) {
        if (hex.length() != 36) {
            throw new IllegalArgumentException("a key is 36 hex digits: " + hex);
        }
        // Long.parseLong would also take a sign ("+0000001"), giving a key whose toHex() differs.
        if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            throw new IllegalArgumentException("invalid key " + hex + ": not all hex digits");
        }
        try {
            return new Key(Integer.parseInt(hex.substring(0, 2), 16), Long.parseLong(hex.substring(2, 10), 16),
                    Long.parseLong(hex.substring(10, 18), 16), Long.parseLong(hex.substring(18, 26), 16),
                    Integer.parseInt(hex.substring(26, 28), 16), Long.parseLong(hex.substring(28, 36), 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid key " + hex, e);
        }
    }

    @Override
    public int compareTo(Key o) {
        int c = Integer.compare(kind, o.kind);
        if (c == 0) {
            c = Long.compare(spc, o.spc);
        }
        if (c == 0) {
            c = Long.compare(db, o.db);
        }
        if (c == 0) {
            c = Long.compare(rel, o.rel);
        }
        if (c == 0) {
            c = Integer.compare(fork, o.fork);
        }
        if (c == 0) {
            c = Long.compare(blk, o.blk);
        }
        return c;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
