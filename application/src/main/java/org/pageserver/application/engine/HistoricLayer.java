package org.pageserver.application.engine;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Version;

/**
 * A layer file, opened on first read and kept open; downloaded first where it is not on local disk
 * (remote only, or evicted). GC {@link #retire retires} one it removes: reads already inside it
 * finish, later ones (through an older snapshot) get {@link ReadableLayer.Gone} and read again from
 * a fresh snapshot, and only then is the file closed and deleted. Eviction ({@link #evict}) waits
 * for the reads inside the file, closes and deletes it; the layer stays in the layer map, and the
 * next read downloads it again.
 */
final class HistoricLayer implements ReadableLayer {
    private final LayerDescriptor descriptor;
    private final Supplier<LayerReader> opener;
    private volatile LayerReader reader;
    /** When it was last read, and whether that is not yet in the metadata (eviction orders by it). */
    private volatile long lastAccessMillis;
    private volatile boolean accessUnsaved;
    /** Reads inside the file now; and whether it was retired, after which none may start. */
    private final AtomicInteger reading = new AtomicInteger();
    private volatile boolean retired;

    /** Whether the file is on local disk: looked up once, then true once opened (a download puts it there). */
    private final java.util.function.BooleanSupplier onDisk;
    private volatile Boolean resident;
    /** Held (shared) by each read while it uses the file; an eviction takes it alone. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock residence = new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Since when it is resident, as far as this process knows: opened here, or downloaded. */
    private volatile long residentSinceMillis = System.currentTimeMillis();
    /** A change of residence not yet in the metadata (saved in batches, as the access times). */
    private volatile boolean residenceUnsaved;
    /** When it last became resident or was evicted, and why: the residence events the layer endpoint lists. */
    private volatile ResidenceEvent lastResidenceEvent;

    /** A change of residence: {@code resident} from then on, for {@code reason}, at {@code at}. */
    record ResidenceEvent(boolean resident, String reason, Instant at) {
    }

    HistoricLayer(LayerDescriptor descriptor, Supplier<LayerReader> opener, java.util.function.BooleanSupplier onDisk) {
        this.descriptor = descriptor;
        this.opener = opener;
        this.onDisk = onDisk;
    }

    /** Whether the layer's file is on local disk (a layer of an attached timeline is remote until read). */
    boolean isResident() {
        Boolean known = resident;
        if (known == null) {
            known = reader != null || onDisk.getAsBoolean();
            resident = known;
        }
        return known;
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
            // Opening reads and checks the file's index, megabytes for a large layer, after a
            // download if it is not resident (or a wait for another read's): either is a wait.
            NonBlocking.aboutToWait();
            synchronized (this) {
                r = reader;
                if (r == null) {
                    boolean wasResident = isResident();
                    r = opener.get();
                    reader = r;
                    resident = true;
                    if (!wasResident) {
                        residentSinceMillis = System.currentTimeMillis();
                        lastResidenceEvent = new ResidenceEvent(true, "downloaded", Instant.now());
                        residenceUnsaved = true;
                    }
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
        begin();
        lockResidence();
        try {
            // An access is a read that takes a value from the layer, not one that only looks in it.
            List<Version> found = readVersions(reader(), key, maxLsn);
            if (!found.isEmpty()) {
                touch();
            }
            return found;
        } finally {
            residence.readLock().unlock();
            reading.decrementAndGet();
        }
    }

    /** Reads the versions; on a thread that must not wait, gives up where the file's bytes are not in memory. */
    private static List<Version> readVersions(LayerReader reader, Key key, Lsn maxLsn) {
        if (!NonBlocking.attempting()) {
            return reader.versions(key, maxLsn);
        }
        List<Version> found = reader.versionsIfInMemory(key, maxLsn);
        if (found == null) {
            NonBlocking.aboutToWait();
        }
        return found;
    }

    @Override
    public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
        // Outside its name's key range the file holds nothing: not opened, so not downloaded.
        LayerName name = descriptor().name();
        if (name.keyEnd().compareTo(from) <= 0 || name.keyStart().compareTo(to) >= 0) {
            return;
        }
        begin();
        lockResidence();
        try {
            reader().keys(from, to, maxLsn, sink);
        } finally {
            residence.readLock().unlock();
            reading.decrementAndGet();
        }
    }

    /**
     * Every version in the file in key then LSN order (see {@code LayerReader.scan}). For
     * compaction, which runs alone against GC and holds the timeline's gate: the layer is neither
     * retired nor closed under it, and the scan is no read that eviction should count.
     */
    Iterator<EncodedVersion> scan() {
        return reader().scan();
    }

    /** Takes the residence lock shared; an eviction holding it is a wait (see {@link NonBlocking}). */
    private void lockResidence() {
        if (!residence.readLock().tryLock()) {
            try {
                NonBlocking.aboutToWait();
            } catch (RuntimeException e) {
                reading.decrementAndGet();
                throw e;
            }
            residence.readLock().lock();
        }
    }

    /** Counts a read in, or refuses it if the layer is retired (counted first, so retire sees it or it sees retire). */
    private void begin() {
        reading.incrementAndGet();
        if (retired) {
            reading.decrementAndGet();
            throw new Gone("layer file " + descriptor.name() + " removed by GC");
        }
    }

    /**
     * Refuses reads from now on, waits for those inside to finish, and closes the file: the caller
     * may delete it then. The layer is out of every snapshot published since.
     */
    void retire() {
        retired = true;
        while (reading.get() > 0) {
            Thread.onSpinWait();
            Thread.yield();
        }
        close();
    }

    /**
     * Makes the layer resident, downloading it if it is not (the read path's way, without a read).
     *
     * @return false if it was resident already
     */
    boolean download() {
        if (isResident()) {
            return false;
        }
        residence.readLock().lock();
        try {
            reader();
            return true;
        } finally {
            residence.readLock().unlock();
        }
    }

    /**
     * Evicts the layer: waits for the reads inside the file, closes it and deletes it with
     * {@code deleteFile}. Reads that come after download it again.
     *
     * @return false if it was not resident
     * @throws RuntimeException what {@code deleteFile} threw; the layer's last residence event then says so
     */
    boolean evict(Runnable deleteFile, String reason) {
        residence.writeLock().lock();
        try {
            if (!isResident()) {
                return false;
            }
            close();
            try {
                deleteFile.run();
            } catch (RuntimeException e) {
                // Whether the file went or not (it may be gone with its directory not yet forced),
                // the disk says: a read reopens it or downloads it again.
                resident = null;
                lastResidenceEvent = new ResidenceEvent(isResident(), "eviction failed: " + Failures.describe(e), Instant.now());
                residenceUnsaved = true;
                throw e;
            }
            resident = false;
            lastResidenceEvent = new ResidenceEvent(false, reason, Instant.now());
            residenceUnsaved = true;
            return true;
        } finally {
            residence.writeLock().unlock();
        }
    }

    /**
     * Since when no read took a value from the layer: its last access, or, if none, since it became
     * resident (a layer just flushed or downloaded is not cold).
     */
    long idleSinceMillis() {
        return Math.max(lastAccessMillis, residentSinceMillis);
    }

    /** How long it has been resident, in milliseconds at {@code nowMillis}. */
    long residenceMillis(long nowMillis) {
        return nowMillis - residentSinceMillis;
    }

    /** Its residence if it changed since the previous call, else null; the caller saves it. */
    Boolean takeUnsavedResidence() {
        if (!residenceUnsaved) {
            return null;
        }
        residenceUnsaved = false;
        return isResident();
    }

    /** The last change of residence this process saw, or null. */
    ResidenceEvent lastResidenceEvent() {
        return lastResidenceEvent;
    }

    /** When a read last took something from the layer, or null if none did since the start. */
    Instant lastAccess() {
        long millis = lastAccessMillis;
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
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
