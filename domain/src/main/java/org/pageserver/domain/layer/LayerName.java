package org.pageserver.domain.layer;

import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * A layer's identity, which is also its file name (Neon's forms). A delta layer,
 * {@code <keystart 36 hex>-<keyend 36 hex>__<lsnstart 16 hex>-<lsnend 16 hex>}, holds the versions
 * of keys in [keyStart, keyEnd) at LSNs in [lsnStart, lsnEnd), both ranges half-open. An image
 * layer, {@code <keystart 36 hex>-<keyend 36 hex>__<lsn 16 hex>}, holds the value of every key of its
 * range as of one LSN; its LSN range is [lsn, lsn + 1).
 */
public record LayerName(Key keyStart, Key keyEnd, Lsn lsnStart, Lsn lsnEnd, boolean image) implements Comparable<LayerName> {

    public LayerName {
        if (keyStart.compareTo(keyEnd) >= 0) {
            throw new IllegalArgumentException("empty key range " + keyStart + ".." + keyEnd);
        }
        if (lsnStart.compareTo(lsnEnd) >= 0) {
            throw new IllegalArgumentException("empty LSN range " + lsnStart + ".." + lsnEnd);
        }
        if (image && !lsnEnd.equals(lsnStart.plus(1))) {
            throw new IllegalArgumentException("an image layer is at one LSN, not " + lsnStart + ".." + lsnEnd);
        }
    }

    /** A delta layer's name. */
    public LayerName(Key keyStart, Key keyEnd, Lsn lsnStart, Lsn lsnEnd) {
        this(keyStart, keyEnd, lsnStart, lsnEnd, false);
    }

    /**
     * The name of a level 0 delta layer: a flush's output, which holds whatever keys changed in its
     * LSN range and is named for all of them, as Neon names it, so that its level is in its name.
     * Compaction merges level 0 layers into level 1 layers of narrower key ranges.
     */
    public static LayerName l0(Lsn lsnStart, Lsn lsnEnd) {
        return new LayerName(Key.MIN, Key.MAX, lsnStart, lsnEnd);
    }

    /** Whether this is a level 0 delta layer (see {@link #l0}): a delta over the whole key space. */
    public boolean isL0() {
        return !image && keyStart.equals(Key.MIN) && keyEnd.equals(Key.MAX);
    }

    /**
     * The name of a delta layer holding keys from {@code firstKey} to {@code lastKey}, both included:
     * its key range is as narrow as its keys, so that the layer map passes it by for every other key.
     */
    public static LayerName deltaOfKeys(Key firstKey, Key lastKey, Lsn lsnStart, Lsn lsnEnd) {
        return new LayerName(firstKey, endAfter(lastKey), lsnStart, lsnEnd);
    }

    /** The name of an image layer of the keys from {@code firstKey} to {@code lastKey}, both included. */
    public static LayerName imageOfKeys(Key firstKey, Key lastKey, Lsn lsn) {
        return image(firstKey, endAfter(lastKey), lsn);
    }

    /** The exclusive end of a range whose last key is {@code lastKey}. */
    private static Key endAfter(Key lastKey) {
        return lastKey.equals(Key.MAX) ? Key.MAX : lastKey.next();
    }

    /** An image layer's name: the keys of [keyStart, keyEnd) as of {@code lsn}. */
    public static LayerName image(Key keyStart, Key keyEnd, Lsn lsn) {
        return new LayerName(keyStart, keyEnd, lsn, lsn.plus(1), true);
    }

    public static LayerName parse(String fileName) {
        String[] halves = fileName.split("__", -1);
        if (halves.length != 2) {
            throw new IllegalArgumentException("not a layer file name: " + fileName);
        }
        String[] keys = halves[0].split("-", -1);
        String[] lsns = halves[1].split("-", -1);
        if (keys.length != 2 || lsns.length > 2 || !isHex16(lsns[0]) || lsns.length == 2 && !isHex16(lsns[1])) {
            throw new IllegalArgumentException("not a layer file name: " + fileName);
        }
        try {
            Key keyStart = Key.parseHex(keys[0]);
            Key keyEnd = Key.parseHex(keys[1]);
            Lsn lsnStart = Lsn.of(Long.parseUnsignedLong(lsns[0], 16));
            return lsns.length == 1 ? image(keyStart, keyEnd, lsnStart)
                    : new LayerName(keyStart, keyEnd, lsnStart, Lsn.of(Long.parseUnsignedLong(lsns[1], 16)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a layer file name: " + fileName, e);
        }
    }

    /** Exactly 16 hex digits: parseUnsignedLong alone would also take a leading '+'. */
    private static boolean isHex16(String s) {
        return s.length() == 16 && s.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0);
    }

    public boolean containsLsn(Lsn lsn) {
        return lsn.compareTo(lsnStart) >= 0 && lsn.compareTo(lsnEnd) < 0;
    }

    public boolean containsKey(Key key) {
        return key.compareTo(keyStart) >= 0 && key.compareTo(keyEnd) < 0;
    }

    /** The file name; safe on every file system and as an object key (hex, '-' and '_' only). */
    public String fileName() {
        String keys = keyStart.toHex() + "-" + keyEnd.toHex() + "__" + String.format("%016X", lsnStart.value());
        return image ? keys : keys + "-" + String.format("%016X", lsnEnd.value());
    }

    /** Layers in LSN order, then key order. */
    @Override
    public int compareTo(LayerName o) {
        int c = lsnStart.compareTo(o.lsnStart);
        if (c == 0) {
            c = lsnEnd.compareTo(o.lsnEnd);
        }
        if (c == 0) {
            c = keyStart.compareTo(o.keyStart);
        }
        if (c == 0) {
            c = keyEnd.compareTo(o.keyEnd);
        }
        return c == 0 ? Boolean.compare(image, o.image) : c;
    }

    @Override
    public String toString() {
        return fileName();
    }
}
