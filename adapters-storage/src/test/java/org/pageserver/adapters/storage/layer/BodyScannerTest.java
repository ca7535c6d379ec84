package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.KeyVersion;

/**
 * The body scan reads a file a buffer at a time; entries straddle the reads. Scanned a few bytes
 * at a time, so that every kind of entry and field is cut by a read somewhere, a body must give
 * exactly what one read of it gives: every version, the end, the last LSNs.
 */
class BodyScannerTest {
    @TempDir
    Path root;

    @Test
    void entriesCutByTheReadsScanAsWhenReadWhole() throws IOException {
        LocalLayerStore store = new LocalLayerStore(root);
        Lsn start = Lsn.of(0x1000);
        List<KeyVersion> versions = LayerTestData.mixed(new Random(5), 40, 4).stream()
                .map(v -> new KeyVersion(v.key(), v.lsn().plus(start.value()), v.value())).toList();
        IngestFile file = store.createIngestFile(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, start);
        LayerTestData.Ingested ingested = LayerTestData.ingest(file, LayerTestData.batches(LayerTestData.arrivalOrder(versions)));
        Path path = ((LocalIngestFile) file).path();

        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            int salt = LayerFormat.decodeHeader(PositionalRead.readFully(channel, path, 0, 64), path).salt();
            BodyScanner.Scan whole = BodyScanner.scan(channel, salt, channel.size());
            assertEquals(ingested.ends().get(ingested.ends().size() - 1), whole.end());
            assertEquals(ingested.placed().size(), whole.versions().size());
            assertEquals(ingested.lastLsn(), whole.lastLsn());
            assertEquals(ingested.prevLsn(), whole.prevLsn());
            for (int readSize : new int[] {1, 7, 29, 31, 64, 997, 8224}) {
                BodyScanner.Scan cut = BodyScanner.scan(channel, salt, channel.size(), readSize);
                assertEquals(whole, cut, "read " + readSize + " bytes at a time");
            }
        }
        file.discard();
    }

    /** The salt is in the header: a wrong one fails the first commit, as a copied commit would. */
    @Test
    void aWrongSaltFindsNoCommit() throws IOException {
        LocalLayerStore store = new LocalLayerStore(root);
        IngestFile file = store.createIngestFile(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, Lsn.of(0x10));
        LayerTestData.ingest(file, List.of(List.of(new KeyVersion(LayerTestData.block(1), Lsn.of(0x20),
                LayerTestData.image(new Random(1))))));
        Path path = ((LocalIngestFile) file).path();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer header = PositionalRead.readFully(channel, path, 0, 64);
            int salt = LayerFormat.decodeHeader(header, path).salt();
            assertEquals(Lsn.of(0x20), BodyScanner.scan(channel, salt, channel.size()).lastLsn());
            BodyScanner.Scan wrong = BodyScanner.scan(channel, salt ^ 1, channel.size());
            assertEquals(true, wrong.isEmpty());
            assertEquals(LayerFormat.HEADER_SIZE, wrong.end());
        }
        file.discard();
    }
}
