package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlignedAppenderTest {
    @TempDir
    Path dir;

    /** Appends pieces of many sizes, flushing and reopening in between; the file must hold exactly them. */
    @ParameterizedTest(name = "direct I/O tried: {0}")
    @ValueSource(booleans = {true, false})
    void theFileHoldsWhatWasAppendedThenLessThanOneBlockOfZeros(boolean tryDirect) throws IOException {
        Path file = dir.resolve("f");
        Files.write(file, new byte[] {1, 2, 3});
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {1, 2, 3});
        Random random = new Random(42);
        int[] sizes = {1, 4095, 4096, 4097, 100, AlignedAppender.STAGING_SIZE + 12_345, 8192, 7, 3 * AlignedAppender.STAGING_SIZE};
        for (int round = 0; round < 3; round++) {
            try (AlignedAppender appender = AlignedAppender.open(file, expected.size(), tryDirect)) {
                for (int size : sizes) {
                    byte[] piece = new byte[size];
                    random.nextBytes(piece);
                    appender.append(ByteBuffer.wrap(piece));
                    expected.writeBytes(piece);
                    if (random.nextBoolean()) {
                        appender.flush();
                        appender.force();
                    }
                    assertEquals(expected.size(), appender.end());
                }
                appender.flush();
                appender.force();
            }
            byte[] onDisk = Files.readAllBytes(file);
            byte[] want = expected.toByteArray();
            assertTrue(onDisk.length >= want.length && onDisk.length - want.length < 65536,
                    "padding of " + (onDisk.length - want.length) + " bytes");
            assertArrayEquals(want, Arrays.copyOf(onDisk, want.length));
            for (int i = want.length; i < onDisk.length; i++) {
                assertEquals(0, onDisk[i], "padding byte at " + i);
            }
        }
    }

    /** Reopening at an end short of the file's (a torn write cut off by recovery) overwrites what followed. */
    @ParameterizedTest(name = "direct I/O tried: {0}")
    @ValueSource(booleans = {true, false})
    void reopeningInsideTheFileOverwritesWhatFollowsTheEnd(boolean tryDirect) throws IOException {
        Path file = dir.resolve("g");
        byte[] garbage = new byte[10_000];
        Arrays.fill(garbage, (byte) 0x5A);
        Files.write(file, garbage);
        try (AlignedAppender appender = AlignedAppender.open(file, 5000, tryDirect)) {
            appender.append(ByteBuffer.wrap(new byte[] {9, 9}));
            appender.flush();
            appender.force();
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertEquals(0x5A, onDisk[4999]);
        assertEquals(9, onDisk[5000]);
        assertEquals(9, onDisk[5001]);
        assertEquals(0, onDisk[5002], "the rest of the block is padding");
    }
}
