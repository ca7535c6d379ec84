package org.pageserver.application.engine;

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
        return reader().versions(key, maxLsn);
    }

    @Override
    public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
        reader().keys(from, to, maxLsn, sink);
    }

    synchronized void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
