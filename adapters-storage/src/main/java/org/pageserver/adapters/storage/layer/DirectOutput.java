package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A layer file written with direct I/O, around the page cache. Copying a layer into the page cache
 * cost the flush thread most of its CPU (on a virtual machine the first touch of each page-cache
 * page is expensive); direct writes go from this buffer to the device. They leave no dirty pages
 * either, so unlike {@link BufferedOutput} nothing needs forcing along the way to keep the ingest
 * log's fsync from stalling behind the flush.
 *
 * <p>Direct writes must be whole blocks at block offsets from block-aligned memory: the buffer is an
 * aligned slice, each write is the buffer's whole blocks (a partial last block moves to the
 * buffer's front to wait for more), and {@link #finish} pads the last block with zeros and then
 * truncates the file to its length.
 *
 * <p>The header goes in last, by rewriting the first block: a copy of it is kept when it is first
 * written. Of the two ways this is the simpler to get right: the other, a second, buffered channel
 * for the header's 96 bytes, would mix buffered and direct I/O on one file, lean on the kernel to
 * keep the two coherent, and read the first block back from disk to change part of its page.
 */
final class DirectOutput extends ChecksummingOutput {
    private final int alignment;
    private final ByteBuffer firstBlock;

    private DirectOutput(FileChannel channel, int alignment) {
        super(channel, DirectIo.alignedBuffer(BUFFER_SIZE, alignment));
        this.alignment = alignment;
        this.firstBlock = DirectIo.alignedBuffer(alignment, alignment);
    }

    /**
     * Creates (or truncates) {@code file} for direct writes.
     *
     * @throws DirectIo.Refused if the file system does not take direct I/O; the file may then exist, empty or not
     */
    static DirectOutput open(Path file) throws IOException {
        // At most half the buffer, so that draining always frees at least half of it.
        int alignment = DirectIo.alignment(file.toAbsolutePath().getParent(), BUFFER_SIZE / 2);
        FileChannel channel = DirectIo.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            DirectOutput out = new DirectOutput(channel, alignment);
            // Some file systems open with O_DIRECT but fail the first write; learn it now, while
            // falling back costs nothing. The block is the header's place, rewritten at the end.
            out.writeAt(out.firstBlock.clear(), 0);
            return out;
        } catch (IOException e) {
            channel.close();
            throw DirectIo.Refused.ifRefusal(file, e);
        } catch (RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    @Override
    void drain() throws IOException {
        int whole = buffer.position() & -alignment;
        if (whole == 0) {
            return;
        }
        writeBlocks(whole);
        buffer.limit(buffer.position()).position(whole);
        buffer.compact();
        bufferStart += whole;
    }

    @Override
    void finish(ByteBuffer header) throws IOException {
        long length = position();
        int padded = (buffer.position() + alignment - 1) & -alignment;
        while (buffer.position() < padded) {
            buffer.put((byte) 0);
        }
        writeBlocks(padded);
        firstBlock.clear().put(0, header, header.position(), header.remaining());
        writeAt(firstBlock, 0);
        channel.truncate(length);
        channel.force(true);
    }

    /** Writes the buffer's first {@code length} bytes, a whole number of blocks, at {@link #bufferStart}. */
    private void writeBlocks(int length) throws IOException {
        if (bufferStart == 0) {
            firstBlock.put(0, buffer, 0, alignment);
        }
        writeAt(buffer.slice(0, length), bufferStart);
    }
}
