package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.storage.layer.PositionalRead.Pooled;
import org.pageserver.adapters.storage.layer.ReadableFile.Read;

/**
 * A layer file's bytes through its mapping: the same bytes as positional reads give, in chunks and
 * across their seams; bytes not in memory refused to a read that must not wait; a close that waits
 * for the reads inside, unmaps (the mapping leaves the process, so a deleted file's space is freed)
 * and refuses reads after it.
 */
class ReadableFileTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path dir;

    private Path file() throws Exception {
        byte[] bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        return Files.write(dir.resolve("layer"), bytes);
    }

    private static ReadableFile open(Path file, boolean map, long chunkSize) throws Exception {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return ReadableFile.of(file, channel, channel.size(), map, chunkSize);
    }

    @Test
    void mappedReadsGiveTheBytesPositionalReadsGiveInEveryChunkAndAcrossTheSeams() throws Exception {
        Path file = file();
        byte[] whole = Files.readAllBytes(file);
        // Chunks of 100,000 bytes: three, each mapping 64 KiB of the next.
        try (ReadableFile mapped = open(file, true, 100_000); ReadableFile positional = open(file, false, 100_000)) {
            assertTrue(mapped.mapped(), "this JVM can unmap, so the file is mapped");
            assertFalse(positional.mapped());
            Random random = new Random(11);
            for (int i = 0; i < 2_000; i++) {
                int length = i % 10 == 0 ? PositionalRead.POOLED_MAX + random.nextInt(1000) : 1 + random.nextInt(9000);
                int position = random.nextInt(SIZE - length);
                mapped.enter();
                try {
                    ByteBuffer a = mapped.read(Read.POOLED, Pooled.VALUE, position, length);
                    ByteBuffer b = positional.read(Read.POOLED, Pooled.VALUE, position, length);
                    assertEquals(ByteBuffer.wrap(whole, position, length), a, "mapped at " + position + "+" + length);
                    assertEquals(ByteBuffer.wrap(whole, position, length), b, "positional at " + position + "+" + length);
                } finally {
                    mapped.exit();
                }
            }
            // The seams: a read ending at the last byte a chunk maps, one past it, the file's end.
            for (int position : new int[] {100_000 + 65_536 - 10, 100_000 + 65_536 - 9, 99_990, SIZE - 10}) {
                mapped.enter();
                try {
                    assertEquals(ByteBuffer.wrap(whole, position, 10), mapped.read(Read.POOLED, Pooled.VALUE, position, 10));
                } finally {
                    mapped.exit();
                }
            }
            mapped.enter();
            try {
                assertThrows(CorruptLayerException.class, () -> mapped.read(Read.POOLED, Pooled.VALUE, SIZE - 5, 10),
                        "past the end: named as a damaged file, as a positional read does");
            } finally {
                mapped.exit();
            }
        }
    }

    @Test
    void aCloseWaitsForTheReadsInsideThenUnmapsAndRefusesLaterReads() throws Exception {
        Path file = file();
        ReadableFile mapped = open(file, true, ReadableFile.CHUNK);
        assertTrue(mappings().contains(file.toString()), "mapped while open");
        mapped.enter();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(mapped::close);
        assertThrows(TimeoutException.class, () -> closing.get(300, TimeUnit.MILLISECONDS),
                "the close waits while a read is inside");
        ByteBuffer inside = mapped.read(Read.POOLED, Pooled.VALUE, 1000, 100);
        assertEquals(Files.readAllBytes(file)[1000], inside.get(0), "the read inside still reads the file");
        mapped.exit();
        closing.get(10, TimeUnit.SECONDS);

        assertFalse(mappings().contains(file.toString()), "unmapped by the close, not left to the garbage collector");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, mapped::enter);
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        mapped.close();
    }

    @Test
    void aReadThatMustNotWaitIsRefusedBytesThatAreNotInMemoryAndGetsThemOnceTheyAre() throws Exception {
        // Written with direct I/O, so none of its pages is in the kernel's page cache.
        Path file = dir.resolve("cold");
        int size = 1 << 20;
        ByteBuffer content = DirectIo.alignedBuffer(size, DirectIo.MIN_ALIGNMENT);
        for (int i = 0; i < size; i++) {
            content.put(i, (byte) (i * 31));
        }
        try (FileChannel out = DirectIo.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (content.hasRemaining()) {
                out.write(content);
            }
        } catch (DirectIo.Refused e) {
            Assumptions.assumeTrue(false, "direct I/O refused here: cannot write a file that is not in memory");
        }
        try (ReadableFile mapped = open(file, true, ReadableFile.CHUNK)) {
            mapped.enter();
            try {
                assertNull(mapped.read(Read.POOLED_IF_IN_MEMORY, Pooled.VALUE, 1000, 8192), "not in memory");
                ByteBuffer now = mapped.read(Read.POOLED, Pooled.VALUE, 1000, 8192);
                assertEquals((byte) (1000 * 31), now.get(0), "a read that may wait reads it from the disk");
                ByteBuffer again = mapped.read(Read.POOLED_IF_IN_MEMORY, Pooled.VALUE, 1000, 8192);
                assertNotNull(again, "in memory since the read before");
                assertEquals((byte) (1001 * 31), again.get(1));
            } finally {
                mapped.exit();
            }
        }
    }

    /** The process's mappings, as Linux lists them. */
    private static String mappings() throws Exception {
        return Files.readString(Path.of("/proc/self/maps"));
    }
}
