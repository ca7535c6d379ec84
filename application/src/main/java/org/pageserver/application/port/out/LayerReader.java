package org.pageserver.application.port.out;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Version;

/**
 * Reads one layer file. A point read uses the layer's index and never scans the file. Safe for
 * concurrent use.
 */
public interface LayerReader extends AutoCloseable {

    /**
     * The key's versions in this layer at or below {@code maxLsn}, newest first, ending with the
     * first value that needs nothing older ({@code Value.willInit()}), or with the oldest.
     */
    List<Version> versions(Key key, Lsn maxLsn);

    /**
     * As {@link #versions}, or null if reading them would wait for the disk (bytes of the file
     * that are not in memory): for a thread that must not wait, which then reads them where it
     * may. A reader that cannot tell reads them.
     */
    default List<Version> versionsIfInMemory(Key key, Lsn maxLsn) {
        return versions(key, maxLsn);
    }

    /** Each distinct key in [from, to) that has a version at or below {@code maxLsn}, in key order. */
    void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink);

    /**
     * Every version in the layer, in key then LSN order (oldest first), values as the file holds
     * them (not decoded): compaction's input. Values are read as the iteration reaches them, so
     * it holds one key's version list at a time, never the layer.
     *
     * @throws java.io.UncheckedIOException from {@code next()} if the file cannot be read or is damaged
     */
    Iterator<EncodedVersion> scan();

    @Override
    void close();
}
