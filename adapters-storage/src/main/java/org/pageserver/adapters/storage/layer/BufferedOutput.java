package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A layer file written through the page cache: the fallback where the file system refuses direct
 * I/O ({@link WriteMode}).
 */
final class BufferedOutput extends ChecksummingOutput {
    /**
     * Forces what was written every this many bytes. A layer is hundreds of MiB; left to pile up as
     * dirty pages, the file system writes it out all at once inside whichever fsync comes next,
     * and on ext4 that is the ingest log's, so acknowledged ingest stalls behind the flush.
     * Forcing as it goes keeps each stall short.
     */
    private static final long FORCE_EVERY = 8L << 20;

    private long unforced;

    private BufferedOutput(FileChannel channel) {
        super(channel, ByteBuffer.allocate(BUFFER_SIZE));
    }

    static BufferedOutput open(Path file) throws IOException {
        return new BufferedOutput(FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    @Override
    void drain() throws IOException {
        int length = buffer.position();
        writeAt(buffer.slice(0, length), bufferStart);
        bufferStart += length;
        buffer.clear();
        unforced += length;
        if (unforced >= FORCE_EVERY) {
            channel.force(false);
            unforced = 0;
        }
    }

    @Override
    void finish(ByteBuffer header) throws IOException {
        drain();
        writeAt(header, 0);
        channel.force(true);
    }
}
