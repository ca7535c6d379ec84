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
import java.nio.file.StandardOpenOption;
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
 * alignment, padding, rewritten partial blocks and truncation must never show in the file. Files
 * are compared without their salt ({@link #unsalted}), the one part that is random per file.
 */
class LayerWriteModesTest {
    private static final LayerName WHOLE = LayerStoreContractTest.WHOLE;
    /**
     * The 600-block sample as {@link LayerTestData#writeLayer} writes it in format 3, unsalted: the
     * format's bytes pinned (the helper's arrival order and batches are part of what is pinned).
     */
    private static final long SAMPLE_LENGTH = 8_538_370;
    private static final String SAMPLE_SHA256 = "919fa2c9ae99431f38c7f8ed90e20c1ccc19ee26189d4c6e401a50f6dbf32bff";

    @TempDir
    Path dir;
    private int written;

    private static List<KeyVersion> sample() {
        return LayerTestData.mixed(new Random(20), 600, 12);
    }

    @Test
    void everyModeWritesTheSampleExactlyAsTheFormatSays() throws IOException {
        for (WriteMode mode : WriteMode.values()) {
            Path file = write(mode, sample());
            assertEquals(SAMPLE_LENGTH, Files.size(file), mode.name());
            assertEquals(SAMPLE_SHA256, sha256(unsalted(file)), mode.name());
        }
    }

    @Test
    void theDefaultModeWritesDirectlyWhereTheFileSystemTakesIt() throws IOException {
        // Else every DIRECT test here has gone through the fallback: say so rather than pass quietly.
        Assumptions.assumeTrue(writesDirectly(WriteMode.DIRECT, dir.resolve("probe")),
                dir + " refuses direct I/O: only the fallback is tested here");
    }

    @Test
    void directAndBufferedFilesAreTheSameBytes() throws IOException {
        Random random = new Random(21);
        List<List<KeyVersion>> shapes = List.of(
                List.of(),
                List.of(at(Key.COMMIT, 0x110, new Value.CommitTimestamp(1))),
                sample(),
                endingOnABlockBoundary(LayerTestData.mixed(random, 50, 6)),
                withAValueLargerThanTheStagingBuffer(random));
        for (List<KeyVersion> versions : shapes) {
            byte[] buffered = unsalted(write(WriteMode.BUFFERED, versions));
            Path direct = write(WriteMode.DIRECT, versions);
            assertArrayEquals(buffered, unsalted(direct), versions.size() + " versions");
            assertArrayEquals(buffered, unsalted(write(WriteMode.DIRECT_AS_IF_REFUSED, versions)));
            assertReadsBack(direct, versions);
        }
    }

    @Test
    void aValueLargerThanTheWholeStagingBufferRoundTrips() throws IOException {
        List<KeyVersion> versions = withAValueLargerThanTheStagingBuffer(new Random(22));
        assertTrue(versions.stream().anyMatch(v -> v.value().encodedSize() > BlockAppender.STAGING_SIZE));
        for (WriteMode mode : WriteMode.values()) {
            Path file = write(mode, versions);
            assertEquals(lengthOf(versions), Files.size(file), mode.name());
            assertReadsBack(file, versions);
        }
    }

    @Test
    void aLengthOfNoWholeNumberOfBlocksEndsWithTheIndexAndFooterNotPadding() throws IOException {
        List<KeyVersion> versions = sample();
        Path file = write(WriteMode.DIRECT, versions);
        assertEquals(lengthOf(versions), Files.size(file));
        assertNotEquals(0, Files.size(file) % 4096);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(bytes.length, LocalLayerStoreTest.footer(file).fileLength());
        // Before the footer, the last index entry: the highest key, then its oldest LSN.
        KeyVersion last = versions.get(versions.size() - 1);
        KeyVersion oldestOfLast = versions.stream().filter(v -> v.key().equals(last.key())).findFirst().orElseThrow();
        ByteBuffer entry = ByteBuffer.allocate(LayerIndex.ENTRY_SIZE);
        LayerIndex.writeEntry(entry, last.key(), 0, 0, oldestOfLast.lsn());
        int indexEnd = bytes.length - LayerFormat.FOOTER_SIZE;
        assertArrayEquals(Arrays.copyOfRange(entry.array(), 0, Key.ENCODED_SIZE),
                Arrays.copyOfRange(bytes, indexEnd - LayerIndex.ENTRY_SIZE, indexEnd - LayerIndex.ENTRY_SIZE + Key.ENCODED_SIZE));
        assertEquals(oldestOfLast.lsn().value(), ByteBuffer.wrap(bytes).getLong(indexEnd - 8));

        assertEquals(LayerFormat.HEADER_SIZE + LayerFormat.FOOTER_SIZE, Files.size(write(WriteMode.DIRECT, List.of())),
                "an empty layer is its header and footer");
    }

    @Test
    void aLengthOfWholeBlocksNeedsNoTruncationAndLosesNothing() throws IOException {
        List<KeyVersion> versions = endingOnABlockBoundary(LayerTestData.mixed(new Random(23), 80, 6));
        Path file = write(WriteMode.DIRECT, versions);
        assertEquals(0, Files.size(file) % 4096);
        assertReadsBack(file, versions);
    }

    /** Writes the layer through a store of its own in {@code mode}; returns its file. */
    private Path write(WriteMode mode, List<KeyVersion> versions) throws IOException {
        LocalLayerStore store = new LocalLayerStore(dir.resolve(mode.name() + "-" + written++), mode);
        long length = LayerTestData.writeLayer(store, LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, WHOLE,
                versions).fileSize();
        Path file = store.layerFile(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, WHOLE);
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

    /**
     * Whether {@code mode} opens files for direct I/O: a direct channel refuses a one-byte write,
     * which is no whole block, and a buffered one takes it.
     */
    static boolean writesDirectly(WriteMode mode, Path probe) throws IOException {
        BlockAppender out = mode.open(probe, 0, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (out) {
            out.channel().write(ByteBuffer.allocate(1), 0);
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            Files.delete(probe);
        }
    }

    /**
     * The file's bytes with the salt taken out: the header's salt zeroed (and its checksum redone)
     * and each commit's checksum un-XORed. Two files of the same versions differ there and only there.
     * On the way, each value's checksum is checked against its bytes.
     */
    static byte[] unsalted(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int salt = LayerFormat.decodeHeader(b.duplicate(), file).salt();
        long bodyEnd = LocalLayerStoreTest.footer(file).bodyEnd();
        b.putInt(8, 0);
        b.putInt(20, LayerFormat.crc(bytes, 0, 20));
        for (int at = LayerFormat.HEADER_SIZE; at < bodyEnd; ) {
            if (bytes[at] == LayerFormat.TAG_VERSION) {
                int length = b.getInt(at + LayerFormat.VALUE_LENGTH_OFFSET);
                // As the format says: each value carries the CRC32C of its bytes.
                assertEquals(LayerFormat.crc(bytes, at + LayerFormat.VERSION_HEAD, length),
                        b.getInt(at + LayerFormat.VALUE_CRC_OFFSET), "the value checksum of the entry at " + at);
                at += LayerFormat.VERSION_HEAD + length;
            } else {
                assertEquals(LayerFormat.TAG_COMMIT, bytes[at], "the entry at " + at);
                b.putInt(at + LayerFormat.COMMIT_CHECKED, b.getInt(at + LayerFormat.COMMIT_CHECKED) ^ salt);
                at += LayerFormat.COMMIT_SIZE;
            }
        }
        return bytes;
    }

    private static KeyVersion at(Key key, long lsn, Value value) {
        return new KeyVersion(key, Lsn.of(lsn), value);
    }

    /**
     * The file's length by the format: header, each version's entry, a commit per batch, each
     * version's reference, an index entry per key, footer.
     */
    private static long lengthOf(List<KeyVersion> versions) {
        long entries = versions.stream().mapToLong(v -> LayerFormat.VERSION_HEAD + v.value().encodedSize()).sum();
        long commits = LayerTestData.batches(LayerTestData.arrivalOrder(versions)).size();
        long keys = versions.stream().map(KeyVersion::key).distinct().count();
        return LayerFormat.HEADER_SIZE + entries + commits * LayerFormat.COMMIT_SIZE
                + versions.size() * (long) LayerFormat.VERSION_REF + keys * LayerIndex.ENTRY_SIZE + LayerFormat.FOOTER_SIZE;
    }

    /** {@code versions} and one more key, whose delta brings the file to whole 4 KiB blocks. */
    private static List<KeyVersion> endingOnABlockBoundary(List<KeyVersion> versions) {
        List<KeyVersion> withEmptyDelta = new ArrayList<>(versions);
        withEmptyDelta.add(at(block(1_000_000), 0x110, new Value.PageDelta(List.of())));
        int missing = (int) ((4096 - lengthOf(withEmptyDelta) % 4096) % 4096);
        // A patch adds 4 bytes and its own; under 4 missing, two patches fill this block and the next.
        List<Patch> patches = missing == 0 ? List.of() : missing >= 4 ? List.of(new Patch(0, new byte[missing - 4]))
                : List.of(new Patch(0, new byte[missing + 4096 - 8]), new Patch(0, new byte[0]));
        List<KeyVersion> all = new ArrayList<>(versions);
        all.add(at(block(1_000_000), 0x110, new Value.PageDelta(patches)));
        all.sort(KeyVersion.ORDER);
        assertEquals(0, lengthOf(all) % 4096);
        return all;
    }

    /** Images around a delta of 100 pages more than a whole staging buffer. */
    private static List<KeyVersion> withAValueLargerThanTheStagingBuffer(Random random) {
        List<Patch> patches = new ArrayList<>();
        for (int i = 0; i < BlockAppender.STAGING_SIZE / Page.SIZE + 100; i++) {
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

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
