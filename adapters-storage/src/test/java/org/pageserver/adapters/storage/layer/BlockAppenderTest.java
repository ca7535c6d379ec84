package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds of appends, each in a staging buffer of the size its expected bytes call for: the file
 * holds exactly the bytes appended, whatever the rounds' sizes, and also when a round appends more
 * than it said (it then writes its small buffer out as it fills).
 */
class BlockAppenderTest {
    @TempDir
    Path dir;

    @Test
    void roundsOfEverySizeLeaveExactlyTheAppendedBytes() throws IOException {
        Path file = dir.resolve("appended");
        Random random = new Random(4);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (BlockAppender out = WriteMode.DIRECT.open(file, 0, new byte[0], StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            int[] rounds = {1, 4095, 4097, 15_000, BlockAppender.SMALL_STAGING_SIZE, 300_001, 3 << 20, 5 << 20, 17};
            for (int size : rounds) {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                // The odd rounds say less than they append: the small buffer must still take it all.
                out.expect(size % 2 == 1 ? Math.min(size, 100) : size);
                for (int at = 0; at < size; at += 70_000) {
                    out.append(ByteBuffer.wrap(bytes, at, Math.min(70_000, size - at)));
                }
                out.flush();
                expected.write(bytes);
                assertEquals(expected.size(), out.end());
            }
            out.finish();
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }
}
