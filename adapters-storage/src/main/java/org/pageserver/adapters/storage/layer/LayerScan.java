package org.pageserver.adapters.storage.layer;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;
import org.pageserver.domain.page.EncodedVersion;

/**
 * A layer's versions key by key, in index order ({@link org.pageserver.application.port.out.LayerReader#scan}):
 * a key's versions are looked up only when the iteration reaches it, so a scan holds one key's at
 * a time. A stream's {@code flatMap} would do the same in fewer lines, but its iterator reads a
 * key's versions all at once, values too, and a hot key has hundreds of thousands.
 */
final class LayerScan implements Iterator<EncodedVersion> {
    private final int keyCount;
    private final IntFunction<Iterator<EncodedVersion>> versionsOfKey;
    private int nextKey;
    private Iterator<EncodedVersion> current = Collections.emptyIterator();

    /**
     * @param versionsOfKey the versions of the index's {@code i}th key, oldest first, at least one:
     *                      called from {@link #next()}, which may throw what it throws
     */
    LayerScan(int keyCount, IntFunction<Iterator<EncodedVersion>> versionsOfKey) {
        this.keyCount = keyCount;
        this.versionsOfKey = versionsOfKey;
    }

    @Override
    public boolean hasNext() {
        return current.hasNext() || nextKey < keyCount;
    }

    @Override
    public EncodedVersion next() {
        if (!current.hasNext()) {
            if (nextKey >= keyCount) {
                throw new NoSuchElementException();
            }
            current = versionsOfKey.apply(nextKey++);
        }
        return current.next();
    }
}
