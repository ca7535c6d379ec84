package org.pageserver.domain.layer;

import org.pageserver.domain.page.Key;

/** A half-open range of keys, [start, end): a layer's, or a partition of a timeline's keys. */
public record KeyRange(Key start, Key end) {
    public KeyRange {
        if (start.compareTo(end) >= 0) {
            throw new IllegalArgumentException("empty key range " + start + ".." + end);
        }
    }

    public static KeyRange of(LayerName layer) {
        return new KeyRange(layer.keyStart(), layer.keyEnd());
    }

    public boolean contains(Key key) {
        return key.compareTo(start) >= 0 && key.compareTo(end) < 0;
    }

    public boolean overlaps(KeyRange other) {
        return start.compareTo(other.end) < 0 && other.start.compareTo(end) < 0;
    }

    public boolean covers(KeyRange other) {
        return start.compareTo(other.start) <= 0 && end.compareTo(other.end) >= 0;
    }
}
