package org.pageserver.adapters.storage.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segment files the log no longer needs, kept to be written again as new segments instead of
 * deleted (as PostgreSQL recycles WAL segments): see {@link SegmentFile} for why that is faster
 * and how their old records are kept from being replayed. At most {@link #MAX_SPARES} are kept
 * (named {@code <old seq>.spare}); the rest are deleted.
 *
 * <p>Thread-safe: segments are released by flushes, spares taken by the log's writer thread.
 */
final class SpareSegments {
    /**
     * With 64 MiB segments, at most 1 GiB of disk kept for reuse: about what four busy timelines
     * hold unflushed at the default checkpoint_distance, whose flushes release segments in bursts
     * of that size (with 8, half of the segments under such a load were still new files).
     */
    static final int MAX_SPARES = 16;
    private static final String SUFFIX = ".spare";
    private static final Logger LOG = LoggerFactory.getLogger(SpareSegments.class);

    private final Path dir;
    private final Deque<Path> spares = new ArrayDeque<>();

    SpareSegments(Path dir) {
        this.dir = dir;
    }

    /** Takes up the spares a previous run left in the directory (keeping at most {@link #MAX_SPARES}). */
    synchronized void adopt() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path entry : entries) {
                if (spares.size() < MAX_SPARES) {
                    spares.add(entry);
                } else {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    /** Keeps the no longer needed segment {@code seq} as a spare, or deletes it if there are enough. */
    void offer(long seq) throws IOException {
        Path segment = SegmentFile.path(dir, seq);
        synchronized (this) {
            if (spares.size() < MAX_SPARES && Files.exists(segment)) {
                Path spare = dir.resolve(String.format("%016x", seq) + SUFFIX);
                Files.move(segment, spare, StandardCopyOption.ATOMIC_MOVE);
                spares.add(spare);
                LOG.debug("ingest log segment {} kept for reuse", seq);
                return;
            }
        }
        Files.deleteIfExists(segment);
        LOG.debug("ingest log segment {} deleted", seq);
    }

    /** A spare file to reuse, or null if there is none. */
    synchronized Path take() {
        return spares.pollFirst();
    }
}
