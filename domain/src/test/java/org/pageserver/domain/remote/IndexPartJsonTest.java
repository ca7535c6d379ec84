package org.pageserver.domain.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.timeline.TimelineMetadata;

class IndexPartJsonTest {
    private static final TimelineMetadata ROOT = TimelineMetadata.root(TenantId.generate(), TimelineId.generate(), 15)
            .withLsns(Lsn.of(0x1_6960E8L), Lsn.of(0x1_6960C0L), Lsn.of(0x1_6960E8L)).withGcCutoff(Lsn.of(0x1_100000L));

    private static IndexPart index(TimelineMetadata metadata) {
        Key a = Key.block(new RelTag(1663, 5, 1, 0), 0);
        Key b = Key.block(new RelTag(1663, 5, 1, 0), 99);
        return new IndexPart(Map.of(
                LayerName.l0(Lsn.of(0x1_000001L), Lsn.of(0x1_6960E9L)), new IndexPart.RemoteLayer(1234, new Generation(3)),
                LayerName.image(a, b, Lsn.of(0x1_500000L)), new IndexPart.RemoteLayer(0, new Generation(0xFFFF_FFFFL)),
                LayerName.deltaOfKeys(a, b, Lsn.of(0x1_000001L), Lsn.of(0x1_400000L)), new IndexPart.RemoteLayer(99, new Generation(1))),
                metadata);
    }

    @Test
    void anIndexPartReadsBackAsItWasWritten() {
        IndexPart root = index(ROOT);
        IndexPart back = IndexPartJson.read(IndexPartJson.write(root));
        assertEquals(root, back);
        assertEquals(ROOT.diskConsistentLsn(), back.diskConsistentLsn());
        assertEquals(ROOT.diskConsistentLsn(), back.metadata().remoteConsistentLsn(), "what a node reading it has");
        assertEquals(1333, back.remoteSize());

        TimelineMetadata branch = ROOT.branch(TimelineId.generate(), Lsn.of(0x1_200000L), null);
        IndexPart child = new IndexPart(Map.of(), branch);
        assertEquals(child, IndexPartJson.read(IndexPartJson.write(child)));
    }

    @Test
    void theJsonHasNeonsFieldNames() {
        String json = new String(IndexPartJson.write(index(ROOT)), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"version\":7,\"layer_metadata\":{\""), json);
        assertTrue(json.contains("\"file_size\":1234,\"generation\":3"), json);
        assertTrue(json.contains("\"disk_consistent_lsn\":\"0/16960E8\""), json);
        assertTrue(json.contains("\"ancestor_timeline\":null"), json);
    }

    @Test
    void whatIsNotExactlyAnIndexPartIsRefusedWithAReason() {
        String json = new String(IndexPartJson.write(index(ROOT)), StandardCharsets.UTF_8);
        for (String bad : new String[] {
                json.replace("\"version\":7", "\"version\":8"),
                json.replace("\"pg_version\":15", "\"pg_version\":15,\"extra\":1"),
                json.replace("\"generation\":3", "\"generation\":4294967296"),
                json.replace("\"file_size\":1234", "\"file_size\":-1"),
                json.replace("\"file_size\":1234", "\"file_size\":12.5"),
                json.replace("\"disk_consistent_lsn\":\"0/16960E8\",\"metadata\"", "\"disk_consistent_lsn\":\"0/0\",\"metadata\""),
                json.replace("00000000000000000000000000000000000-", "0000000000000000000000000000000000x-"),
                json.replace("\"pg_version\":15", "\"pg_version\":13"),
                json + " ", // trailing space is fine JSON: not in this list's sense, checked below
        }) {
            if (bad.equals(json + " ")) {
                assertEquals(index(ROOT), IndexPartJson.read(bad.getBytes(StandardCharsets.UTF_8)));
                continue;
            }
            assertThrows(IllegalArgumentException.class, () -> IndexPartJson.read(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @Test
    void everyTruncationAndRandomDamageIsRefusedOrReadNeverAnotherException() {
        byte[] good = IndexPartJson.write(index(ROOT));
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(IllegalArgumentException.class, () -> IndexPartJson.read(cut), "cut at " + length);
        }
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] damaged = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                IndexPartJson.read(damaged);
            } catch (IllegalArgumentException expected) {
                // refused with a reason: fine
            }
        }
    }
}
