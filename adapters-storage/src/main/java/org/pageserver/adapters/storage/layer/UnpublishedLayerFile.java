package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;

/**
 * The file a {@link org.pageserver.application.port.out.LayerWriter} writes, from its creation to
 * its rename. Its temporary name, {@code <lsn in 16 hex digits>-<16 random hex digits>.tmp}, is one
 * that no other writer takes and that a start deletes ({@link LocalLayerStore#sealLeftovers}): a
 * crash before the rename leaves nothing that a start keeps. Bytes go through the
 * {@link BlockAppender}'s staging buffer, the one write buffer; nothing is forced before
 * {@link #finish}, which forces the file once, and {@link #publish} makes the rename durable.
 * After a failed write the file is only to be discarded. Not thread-safe.
 */
final class UnpublishedLayerFile {
    /** What a writer writes after its values: the file's tail, ending with {@link BlockAppender#finish()}. */
    interface Tail {
        /** @return the file's length */
        long write(BlockAppender out) throws IOException;
    }

    private final Path path;
    private final BlockAppender out;
    private LayerName finished;
    private boolean published;
    private boolean discarded;
    private boolean failed;

    private UnpublishedLayerFile(Path path, BlockAppender out) {
        this.path = path;
        this.out = out;
    }

    /** Creates the file in {@code dir} (and the directory if missing) with its header written, not forced. */
    static UnpublishedLayerFile create(Path dir, Lsn lsn, ByteBuffer header, WriteMode mode) throws IOException {
        Durable.createDirectories(dir);
        String name = String.format("%016X-%016X", lsn.value(), ThreadLocalRandom.current().nextLong())
                + LocalIngestFile.TEMP_SUFFIX;
        Path path = dir.resolve(name);
        return new UnpublishedLayerFile(path, mode.create(path, header));
    }

    Path path() {
        return path;
    }

    /** Where the next byte goes: the bytes written so far. */
    long end() {
        return out.end();
    }

    /** Appends {@code bytes}, consuming them. */
    void append(ByteBuffer bytes) {
        requireWritable();
        try {
            out.append(bytes);
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("writing layer file " + path, e);
        }
    }

    /** Writes the tail, which finishes and forces the file, and remembers the name to publish it as. */
    LayerDescriptor finish(LayerName name, Tail tail) {
        requireWritable();
        try {
            long length = tail.write(out);
            finished = name;
            return new LayerDescriptor(name, length);
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("finishing layer file " + path + " as " + name, e);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Renames the finished file to its layer name and syncs the directory, which makes the rename durable. */
    void publish() {
        if (finished == null || discarded || published) {
            throw new IllegalStateException("layer file " + path + " is " + (published ? "published already"
                    : discarded ? "discarded" : "not finished") + ": nothing to publish");
        }
        Path target = path.resolveSibling(finished.fileName());
        try {
            out.close();
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
            published = true;
            Durable.syncDirectory(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("publishing " + path + " as " + finished, e);
        }
    }

    /** Closes and deletes the file; nothing to do once it is published. */
    void discard() {
        if (published) {
            return;
        }
        discarded = true;
        try {
            out.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting unpublished layer file " + path, e);
        }
    }

    /** @throws IllegalStateException if the file takes no more writes: finished, discarded or broken */
    void requireWritable() {
        if (failed || finished != null || discarded) {
            throw new IllegalStateException("layer file " + path + " takes no more writes: it is "
                    + (failed ? "broken by a failed write, only to be discarded" : discarded ? "discarded" : "finished"));
        }
    }
}
