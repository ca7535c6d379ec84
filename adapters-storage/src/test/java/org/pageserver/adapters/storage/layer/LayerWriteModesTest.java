package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.layer.LayerTestData.block;
import static org.pageserver.adapters.storage.layer.LayerTestData.expected;
import static org.pageserver.adapters.storage.layer.LayerTestData.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.Value;

/**
 * Every {@link WriteMode} writes the same bytes, the format's, whatever the sizes: the direct path's
 * alignment, padding and truncation must never show in the file.
 */
class LayerWriteModesTest {
    private static final LayerName WHOLE = LayerStoreContractTest.WHOLE;
    /** The 600-block sample as written before direct I/O existed: the format's bytes, pinned. */
    private static final long SAMPLE_LENGTH = 8_378_823;
    private static final String SAMPLE_SHA256 = "ecb866024b33238bc4acc3878bc3f3bfd48c25c397513a0c506116e9628621c9";

    @TempDir
    Path dir;

    private static List<KeyVersion> sample() {
        return LayerTestData.mixed(new Random(20), 600, 12);
    }

    @Test
    void everyModeWritesTheSampleExactlyAsTheFormatAlwaysHad() throws IOException {
        for (WriteMode mode : WriteMode.values()) {
            Path file = write(mode, sample());
            assertEquals(SAMPLE_LENGTH, Files.size(file), mode.name());
            assertEquals(SAMPLE_SHA256, sha256(file), mode.name());
        }
    }

    @Test
    void theDefaultModeWritesDirectlyWhereTheFileSystemTakesIt() throws IOException {
        try (ChecksummingOutput out = WriteMode.DIRECT.open(dir.resolve("probe"))) {
            // Else every DIRECT test here has gone through the fallback: say so rather than pass quietly.
            Assumptions.assumeTrue(out instanceof DirectOutput, dir + " refuses direct I/O: only the fallback is tested here");
        }
    }

    @Test
    void directAndBufferedFilesAreByteForByteIdentical() throws IOException {
        Random random = new Random(21);
        List<List<KeyVersion>> shapes = List.of(
                List.of(),
                List.of(at(Key.COMMIT, 0x110, new Value.CommitTimestamp(1))),
                sample(),
                endingOnABlockBoundary(LayerTestData.mixed(random, 50, 6)),
                withAValueLargerThanTheBuffer(random));
        for (List<KeyVersion> versions : shapes) {
            byte[] buffered = Files.readAllBytes(write(WriteMode.BUFFERED, versions));
            Path direct = write(WriteMode.DIRECT, versions);
            assertArrayEquals(buffered, Files.readAllBytes(direct), versions.size() + " versions");
            assertArrayEquals(buffered, Files.readAllBytes(write(WriteMode.DIRECT_AS_IF_REFUSED, versions)));
            assertReadsBack(direct, versions);
        }
    }

    @Test
    void aValueLargerThanTheWholeBufferRoundTrips() throws IOException {
        List<KeyVersion> versions = withAValueLargerThanTheBuffer(new Random(22));
        assertTrue(versions.stream().anyMatch(v -> v.value().encodedSize() > ChecksummingOutput.BUFFER_SIZE));
        for (WriteMode mode : WriteMode.values()) {
            Path file = write(mode, versions);
            assertEquals(lengthOf(versions), Files.size(file), mode.name());
            assertReadsBack(file, versions);
        }
    }

    @Test
    void aLengthOfNoWholeNumberOfBlocksEndsWithTheIndexNotPadding() throws IOException {
        List<KeyVersion> versions = sample();
        Path file = write(WriteMode.DIRECT, versions);
        assertEquals(lengthOf(versions), Files.size(file));
        assertNotEquals(0, Files.size(file) % 4096);
        // The last bytes are the last index entry: the highest key, then its oldest LSN.
        KeyVersion last = versions.get(versions.size() - 1);
        KeyVersion oldestOfLast = versions.stream().filter(v -> v.key().equals(last.key())).findFirst().orElseThrow();
        ByteBuffer entry = ByteBuffer.allocate(LayerIndex.ENTRY_SIZE);
        LayerIndex.writeEntry(entry, last.key(), 0, 0, oldestOfLast.lsn());
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(Arrays.copyOfRange(entry.array(), 0, Key.ENCODED_SIZE),
                Arrays.copyOfRange(bytes, bytes.length - LayerIndex.ENTRY_SIZE, bytes.length - 20));
        assertEquals(oldestOfLast.lsn().value(), ByteBuffer.wrap(bytes).getLong(bytes.length - 8));

        assertEquals(LayerHeader.SIZE, Files.size(write(WriteMode.DIRECT, List.of())), "an empty layer is its header");
    }

    @Test
    void aLengthOfWholeBlocksNeedsNoTruncationAndLosesNothing() throws IOException {
        List<KeyVersion> versions = endingOnABlockBoundary(LayerTestData.mixed(new Random(23), 80, 6));
        Path file = write(WriteMode.DIRECT, versions);
        assertEquals(0, Files.size(file) % 4096);
        assertReadsBack(file, versions);
    }

    private Path write(WriteMode mode, List<KeyVersion> versions) throws IOException {
        Path file = dir.resolve(mode.name());
        long length = DeltaLayerWriter.write(file, WHOLE, LayerTestData.encoded(versions), mode);
        assertEquals(length, Files.size(file), mode.name());
        return file;
    }

    static void assertReadsBack(Path file, List<KeyVersion> versions) throws IOException {
        Set<Key> keys = new LinkedHashSet<>();
        versions.forEach(v -> keys.add(v.key()));
        try (DeltaLayerReader reader = DeltaLayerReader.open(file)) {
            for (Key key : keys) {
                assertEquals(text(expected(versions, key, Lsn.MAX)), text(reader.versions(key, Lsn.MAX)), "key " + key);
            }
        }
    }

    private static KeyVersion at(Key key, long lsn, Value value) {
        return new KeyVersion(key, Lsn.of(lsn), value);
    }

    /** The file's length by the format: header, a record per version, an index entry per key. */
    private static long lengthOf(List<KeyVersion> versions) {
        long records = versions.stream().mapToLong(v -> DeltaLayerWriter.RECORD_HEADER + v.value().encodedSize()).sum();
        long keys = versions.stream().map(KeyVersion::key).distinct().count();
        return LayerHeader.SIZE + records + keys * LayerIndex.ENTRY_SIZE;
    }

    /** {@code versions} and one more key, whose delta brings the file to whole 4 KiB blocks. */
    private static List<KeyVersion> endingOnABlockBoundary(List<KeyVersion> versions) {
        long withEmptyDelta = lengthOf(versions) + DeltaLayerWriter.RECORD_HEADER
                + new Value.PageDelta(List.of()).encodedSize() + LayerIndex.ENTRY_SIZE;
        int missing = (int) ((4096 - withEmptyDelta % 4096) % 4096);
        // A patch adds 4 bytes and its own; under 4 missing, two patches fill this block and the next.
        List<Patch> patches = missing == 0 ? List.of() : missing >= 4 ? List.of(new Patch(0, new byte[missing - 4]))
                : List.of(new Patch(0, new byte[missing + 4096 - 8]), new Patch(0, new byte[0]));
        List<KeyVersion> all = new ArrayList<>(versions);
        all.add(at(block(1_000_000), 0x110, new Value.PageDelta(patches)));
        all.sort(KeyVersion.ORDER);
        assertEquals(0, lengthOf(all) % 4096);
        return all;
    }

    /** Images around a delta of 100 pages more than the writer's whole buffer. */
    private static List<KeyVersion> withAValueLargerThanTheBuffer(Random random) {
        List<Patch> patches = new ArrayList<>();
        for (int i = 0; i < ChecksummingOutput.BUFFER_SIZE / Page.SIZE + 100; i++) {
            byte[] bytes = new byte[Page.SIZE];
            random.nextBytes(bytes);
            patches.add(new Patch(0, bytes));
        }
        return List.of(at(block(1), 0x110, LayerTestData.image(random)),
                at(block(2), 0x110, LayerTestData.image(random)),
                at(block(2), 0x120, new Value.PageDelta(patches)),
                at(block(2), 0x130, LayerTestData.delta(random)),
                at(block(3), 0x110, LayerTestData.image(random)));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
