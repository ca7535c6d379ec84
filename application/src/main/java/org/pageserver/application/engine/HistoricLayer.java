package org.pageserver.application.engine;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Version;

/** A layer file on local disk, opened on first read and kept open. */
final class HistoricLayer implements ReadableLayer {
    private final LayerDescriptor descriptor;
    private final Supplier<LayerReader> opener;
    private volatile LayerReader reader;
    /** When it was last read, and whether that is not yet in the metadata (eviction orders by it). */
    private volatile long lastAccessMillis;
    private volatile boolean accessUnsaved;

    HistoricLayer(LayerDescriptor descriptor, Supplier<LayerReader> opener) {
        this.descriptor = descriptor;
        this.opener = opener;
    }

    LayerDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Lsn lsnStart() {
        return descriptor.name().lsnStart();
    }

    private LayerReader reader() {
        LayerReader r = reader;
        if (r == null) {
            synchronized (this) {
                r = reader;
                if (r == null) {
                    r = opener.get();
                    reader = r;
                }
            }
        }
        return r;
    }

    @Override
    public List<Version> versions(Key key, Lsn maxLsn) {
        if (!descriptor.name().containsKey(key)) {
            return List.of();
        }
        touch();
        return reader().versions(key, maxLsn);
    }

    @Override
    public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
        touch();
        reader().keys(from, to, maxLsn, sink);
    }

    private void touch() {
        lastAccessMillis = System.currentTimeMillis();
        accessUnsaved = true;
    }

    /** The last read since the previous call, or null if none; the caller saves it. */
    Instant takeUnsavedAccess() {
        if (!accessUnsaved) {
            return null;
        }
        accessUnsaved = false;
        return Instant.ofEpochMilli(lastAccessMillis);
    }

    synchronized void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
