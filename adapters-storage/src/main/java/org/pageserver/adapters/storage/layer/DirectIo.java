package org.pageserver.adapters.storage.layer;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every direct-I/O ({@code O_DIRECT}) writer here needs: the block alignment of a file
 * system, block-aligned buffers, and opening a file for direct writes, telling a file system that
 * refuses direct I/O ({@link Refused}) from any other failure. Layer files, ingest files among
 * them, are written this way ({@link BlockAppender}).
 */
public final class DirectIo {
    /** The alignment when the file system reports a smaller block: what devices with 4 KiB sectors need. */
    public static final int MIN_ALIGNMENT = 4096;

    private DirectIo() {
    }

    /**
     * The alignment of direct writes under {@code dir}: its block size, at least {@link #MIN_ALIGNMENT}.
     *
     * @param max the largest alignment the caller's buffer can work with
     * @throws Refused if the block size is no power of two, or above {@code max}
     */
    public static int alignment(Path dir, int max) throws Refused {
        long blockSize;
        try {
            blockSize = Files.getFileStore(dir).getBlockSize();
        } catch (IOException | UnsupportedOperationException e) {
            blockSize = MIN_ALIGNMENT;
        }
        long alignment = Math.max(MIN_ALIGNMENT, blockSize);
        if (Long.bitCount(alignment) != 1 || alignment > max) {
            throw new Refused(dir, new IOException("block size " + blockSize + " is not a power of two up to " + max));
        }
        return (int) alignment;
    }

    /** A direct buffer of {@code size} bytes whose first byte is at an address that is a multiple of {@code alignment}. */
    public static ByteBuffer alignedBuffer(int size, int alignment) {
        return ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).limit(size).slice();
    }

    /**
     * Opens {@code file} with these options and {@code O_DIRECT}.
     *
     * @throws Refused if the file system does not take direct I/O
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        List<OpenOption> all = new ArrayList<>(List.of(options));
        all.add(ExtendedOpenOption.DIRECT);
        try {
            return FileChannel.open(file, all.toArray(OpenOption[]::new));
        } catch (UnsupportedOperationException e) {
            throw new Refused(file, e);
        } catch (IOException e) {
            throw Refused.ifRefusal(file, e);
        }
    }

    /** The file system does not take direct I/O: opening with O_DIRECT or a direct write failed. */
    public static final class Refused extends IOException {
        public Refused(Path file, Throwable cause) {
            super(file + ": no direct I/O here (" + cause.getMessage() + ")", cause);
        }

        /**
         * {@code e} as a refusal if it is one, else itself: the error the kernel gives for O_DIRECT
         * where the file system has no direct I/O, or for a write it cannot align, is EINVAL.
         */
        public static IOException ifRefusal(Path file, IOException e) {
            return String.valueOf(e.getMessage()).contains("Invalid argument") ? new Refused(file, e) : e;
        }
    }
}
