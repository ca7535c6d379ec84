package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How layer files reach the disk. Both modes write the same bytes; {@link #DIRECT}, the
 * default, costs far less CPU per byte ({@link BlockAppender} says why).
 */
enum WriteMode {
    /**
     * Direct I/O where the file system takes it, else {@link #BUFFERED}, with one warning per
     * process: a file system that refuses it once refuses it for every file, and a warning per
     * layer would only repeat itself.
     */
    DIRECT {
        @Override
        BlockAppender open(Path file, long end, byte[] tail, OpenOption... options) throws IOException {
            int align;
            try {
                align = DirectIo.alignment(file.toAbsolutePath().getParent(), BlockAppender.MAX_ALIGNMENT);
                return new BlockAppender(DirectIo.open(file, options), align, end, tail);
            } catch (DirectIo.Refused e) {
                // A refused O_DIRECT open may have created the file already.
                if (List.of(options).contains(StandardOpenOption.CREATE_NEW)) {
                    Files.deleteIfExists(file);
                }
                return fallBack(file, e, end, tail, options);
            }
        }
    },
    /** Through the page cache. */
    BUFFERED {
        @Override
        BlockAppender open(Path file, long end, byte[] tail, OpenOption... options) throws IOException {
            return buffered(file, end, tail, options);
        }
    },
    /**
     * {@link #DIRECT} as on a file system that refuses direct I/O, for tests: every file system
     * here may take it, so this is how the fallback gets exercised.
     */
    DIRECT_AS_IF_REFUSED {
        @Override
        BlockAppender open(Path file, long end, byte[] tail, OpenOption... options) throws IOException {
            return fallBack(file, new DirectIo.Refused(file, new IOException("Invalid argument (simulated)")), end, tail, options);
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(WriteMode.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /**
     * Opens {@code file} with {@code options} to append after its first {@code end} bytes.
     *
     * @param tail the file's bytes from the start of the block holding {@code end} up to it
     */
    abstract BlockAppender open(Path file, long end, byte[] tail, OpenOption... options) throws IOException;

    /**
     * Creates {@code file} and writes {@code header} to it (not forced). Some file systems open
     * files for direct I/O and then refuse the writes: such a file is deleted and created again
     * through the page cache ({@link #afterRefusal}).
     */
    BlockAppender create(Path file, ByteBuffer header) throws IOException {
        BlockAppender out = open(file, 0, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            out.append(header.duplicate());
            out.flush();
            return out;
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(file);
            if (e instanceof IOException io && DirectIo.Refused.ifRefusal(file, io) instanceof DirectIo.Refused refused
                    && this != BUFFERED) {
                return afterRefusal(refused).create(file, header);
            }
            throw e;
        }
    }

    /** Whether this process has warned that it writes layers through the page cache. */
    static boolean warnedOfFallback() {
        return WARNED.get();
    }

    private static BlockAppender fallBack(Path file, DirectIo.Refused refusal, long end, byte[] tail,
                                          OpenOption... options) throws IOException {
        return afterRefusal(refusal).open(file, end, tail, options);
    }

    /** The mode to use once direct I/O was refused: {@link #BUFFERED}, with the process's one warning. */
    static WriteMode afterRefusal(DirectIo.Refused refusal) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("{}; writing layer files through the page cache instead, at more CPU per byte"
                    + " (said once, for every layer file this process writes)", refusal.getMessage());
        }
        return BUFFERED;
    }

    private static BlockAppender buffered(Path file, long end, byte[] tail, OpenOption... options) throws IOException {
        return new BlockAppender(FileChannel.open(file, options), DirectIo.MIN_ALIGNMENT, end, tail);
    }
}
