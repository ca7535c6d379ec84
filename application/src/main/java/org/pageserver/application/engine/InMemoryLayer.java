package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * The newest versions of a timeline, in memory: written by the one ingest writer, read
 * concurrently by everyone. Once frozen it takes no more writes and waits to be flushed to a
 * delta layer file.
 */
final class InMemoryLayer implements ReadableLayer {

    /** Orders a key's versions by LSN, unsigned, so a key's versions are adjacent in the map. */
    record VersionKey(Key key, long lsn) implements Comparable<VersionKey> {
        @Override
        public int compareTo(VersionKey o) {
            int c = key.compareTo(o.key);
            return c != 0 ? c : Long.compareUnsigned(lsn, o.lsn);
        }
    }

    private final Lsn lsnStart;
    private final ConcurrentSkipListMap<VersionKey, Value> versions = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long firstWriteNanos;
    private volatile Lsn lsnEnd;
    private volatile Lsn prevOfLast;

    InMemoryLayer(Lsn lsnStart) {
        this.lsnStart = lsnStart;
    }

    @Override
    public Lsn lsnStart() {
        return lsnStart;
    }

    /** The exclusive end, once frozen; null while open. */
    Lsn lsnEnd() {
        return lsnEnd;
    }

    void put(Key key, Lsn lsn, Value value) {
        if (versions.isEmpty()) {
            firstWriteNanos = System.nanoTime();
        }
        versions.put(new VersionKey(key, lsn.value()), value);
        bytes.addAndGet(value.encodedSize() + Key.ENCODED_SIZE + 8);
    }

    /** @param prevOfLast the record before the last one in this layer, so the flush can store a consistent pair */
    void freeze(Lsn end, Lsn prevOfLast) {
        this.lsnEnd = end;
        this.prevOfLast = prevOfLast;
    }

    Lsn prevOfLast() {
        return prevOfLast;
    }

    boolean isEmpty() {
        return versions.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }

    /** How long ago its first version arrived; zero while empty. */
    long ageNanos() {
        return versions.isEmpty() ? 0 : System.nanoTime() - firstWriteNanos;
    }

    @Override
    public List<Version> versions(Key key, Lsn maxLsn) {
        List<Version> out = new ArrayList<>(2);
        for (Map.Entry<VersionKey, Value> e : versions.headMap(new VersionKey(key, maxLsn.value()), true)
                .descendingMap().entrySet()) {
            if (!e.getKey().key().equals(key)) {
                break;
            }
            out.add(new Version(Lsn.of(e.getKey().lsn()), e.getValue()));
            if (e.getValue().willInit()) {
                break;
            }
        }
        return out;
    }

    @Override
    public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
        Key last = null;
        for (VersionKey vk : versions.subMap(new VersionKey(from, 0), true, new VersionKey(to, 0), false).keySet()) {
            // A key's versions come oldest first, so its first entry says whether any is at or below maxLsn.
            if (!vk.key().equals(last)) {
                last = vk.key();
                if (Long.compareUnsigned(vk.lsn(), maxLsn.value()) <= 0) {
                    sink.accept(vk.key());
                }
            }
        }
    }

    /** Every version, sorted by key then LSN: what a flush writes. */
    Iterator<KeyVersion> sortedVersions() {
        Iterator<Map.Entry<VersionKey, Value>> it = versions.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyVersion next() {
                Map.Entry<VersionKey, Value> e = it.next();
                return new KeyVersion(e.getKey().key(), Lsn.of(e.getKey().lsn()), e.getValue());
            }
        };
    }
}
