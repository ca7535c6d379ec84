package org.pageserver.domain.layer;

import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * A delta layer's identity, which is also its file name (Neon's form):
 * {@code <keystart 36 hex>-<keyend 36 hex>__<lsnstart 16 hex>-<lsnend 16 hex>}. Both ranges are
 * half-open: the layer holds the versions of keys in [keyStart, keyEnd) at LSNs in [lsnStart, lsnEnd).
 */
public record LayerName(Key keyStart, Key keyEnd, Lsn lsnStart, Lsn lsnEnd) implements Comparable<LayerName> {

    public LayerName {
        if (keyStart.compareTo(keyEnd) >= 0) {
            throw new IllegalArgumentException("empty key range " + keyStart + ".." + keyEnd);
        }
        if (lsnStart.compareTo(lsnEnd) >= 0) {
            throw new IllegalArgumentException("empty LSN range " + lsnStart + ".." + lsnEnd);
        }
    }

    public static LayerName parse(String fileName) {
        String[] halves = fileName.split("__", -1);
        if (halves.length != 2) {
            throw new IllegalArgumentException("not a layer file name: " + fileName);
        }
        String[] keys = halves[0].split("-", -1);
        String[] lsns = halves[1].split("-", -1);
        if (keys.length != 2 || lsns.length != 2 || !isHex16(lsns[0]) || !isHex16(lsns[1])) {
            throw new IllegalArgumentException("not a layer file name: " + fileName);
        }
        try {
            return new LayerName(Key.parseHex(keys[0]), Key.parseHex(keys[1]),
                    Lsn.of(Long.parseUnsignedLong(lsns[0], 16)), Lsn.of(Long.parseUnsignedLong(lsns[1], 16)));
        } catch (NumberFormatException e) {
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
        return keyStart.toHex() + "-" + keyEnd.toHex() + "__" + String.format("%016X", lsnStart.value())
                + "-" + String.format("%016X", lsnEnd.value());
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
        return c == 0 ? keyEnd.compareTo(o.keyEnd) : c;
    }

    @Override
    public String toString() {
        return fileName();
    }
}
