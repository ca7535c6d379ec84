package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Version;

/** Layer files kept in memory, for engine tests: the same contract as the file store, no disk. */
public final class MemoryLayerStore implements LayerStore {
    final Map<String, List<KeyVersion>> files = new ConcurrentHashMap<>();

    private static String path(TenantId t, TimelineId tl, LayerName name) {
        return t + "/" + tl + "/" + name.fileName();
    }

    @Override
    public LayerDescriptor writeDeltaLayer(TenantId t, TimelineId tl, LayerName name,
                                           Iterator<EncodedVersion> versions) {
        List<KeyVersion> all = new ArrayList<>();
        long size = 0;
        EncodedVersion previous = null;
        while (versions.hasNext()) {
            EncodedVersion v = versions.next();
            if (previous != null && EncodedVersion.ORDER.compare(previous, v) >= 0) {
                throw new IllegalArgumentException("versions out of order: " + previous + " then " + v);
            }
            previous = v;
            // Decoded now: the encoded bytes are only lent for the call.
            all.add(new KeyVersion(v.key(), v.lsn(), v.decode()));
            size += Key.ENCODED_SIZE + 8 + v.value().remaining();
        }
        files.put(path(t, tl, name), Collections.unmodifiableList(all));
        return new LayerDescriptor(name, size);
    }

    @Override
    public LayerReader openLayer(TenantId t, TimelineId tl, LayerName name) {
        List<KeyVersion> versions = files.get(path(t, tl, name));
        if (versions == null) {
            throw new IllegalStateException("no layer " + name);
        }
        return new LayerReader() {
            @Override
            public List<Version> versions(Key key, Lsn maxLsn) {
                List<Version> out = new ArrayList<>();
                for (int i = versions.size() - 1; i >= 0; i--) {
                    KeyVersion v = versions.get(i);
                    if (v.key().equals(key) && v.lsn().compareTo(maxLsn) <= 0) {
                        out.add(new Version(v.lsn(), v.value()));
                        if (v.value().willInit()) {
                            break;
                        }
                    }
                }
                return out;
            }

            @Override
            public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
                TreeSet<Key> keys = new TreeSet<>();
                for (KeyVersion v : versions) {
                    if (v.key().compareTo(from) >= 0 && v.key().compareTo(to) < 0 && v.lsn().compareTo(maxLsn) <= 0) {
                        keys.add(v.key());
                    }
                }
                keys.forEach(sink);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void deleteLayer(TenantId t, TimelineId tl, LayerName name) {
        files.remove(path(t, tl, name));
    }

    @Override
    public void deleteTimeline(TenantId t, TimelineId tl) {
        files.keySet().removeIf(p -> p.startsWith(t + "/" + tl + "/"));
    }

    @Override
    public Set<LayerName> listLayers(TenantId t, TimelineId tl) {
        Set<LayerName> names = new TreeSet<>();
        String prefix = t + "/" + tl + "/";
        files.keySet().stream().filter(p -> p.startsWith(prefix))
                .forEach(p -> names.add(LayerName.parse(p.substring(prefix.length()))));
        return names;
    }
}
