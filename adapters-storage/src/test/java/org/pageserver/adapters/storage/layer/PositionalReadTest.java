package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.storage.layer.PositionalRead.Pooled;

/** Reads into a thread's pooled buffers: what they hold, which they reuse, and which reads get their own. */
class PositionalReadTest {
    @TempDir
    Path dir;

    private Path file(int size) throws Exception {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return Files.write(dir.resolve("f"), bytes);
    }

    @Test
    void aPooledReadHoldsTheBytesAskedForInTheThreadsBufferForItsUse() throws Exception {
        Path file = file(100_000);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer first = PositionalRead.readPooled(Pooled.VALUE, channel, file, 1000, 8223);
            assertTrue(first.isDirect());
            assertEquals(8223, first.remaining());
            assertEquals((byte) (1000 * 31), first.get(0));
            ByteBuffer list = PositionalRead.readPooled(Pooled.VERSION_LIST, channel, file, 5, 16);
            assertEquals((byte) (5 * 31), list.get(0));
            assertEquals((byte) (1000 * 31), first.get(0), "the version list's read leaves the value's buffer alone");

            ByteBuffer second = PositionalRead.readPooled(Pooled.VALUE, channel, file, 2000, 100);
            assertSame(first, second, "the same buffer again: a value is decoded before the next is read");
            assertEquals((byte) (2000 * 31), second.get(0));

            ByteBuffer large = PositionalRead.readPooled(Pooled.VALUE, channel, file, 0, PositionalRead.POOLED_MAX + 1);
            assertNotSame(second, large, "a read above the limit gets a buffer of its own");
            assertEquals(PositionalRead.POOLED_MAX + 1, large.remaining());
        }
    }

    @Test
    void aPooledReadPastTheEndNamesTheFile() throws Exception {
        Path file = file(100);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CorruptLayerException e = assertThrows(CorruptLayerException.class,
                    () -> PositionalRead.readPooled(Pooled.VALUE, channel, file, 50, 100));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }
}
