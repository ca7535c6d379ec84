package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.wal.WalDecoder;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

class ValueArenaTest {

    private static Value randomValue(Random random) {
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] page = new byte[Page.SIZE];
                random.nextBytes(page);
                return new Value.PageImage(page);
            }
            case 1 -> {
                List<Patch> patches = new ArrayList<>();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    byte[] bytes = new byte[1 + random.nextInt(100)];
                    random.nextBytes(bytes);
                    patches.add(new Patch(random.nextInt(Page.SIZE - bytes.length), bytes));
                }
                return new Value.PageDelta(patches);
            }
            case 2 -> {
                return new RelSize(random.nextInt(1000), true, List.of());
            }
            default -> {
                return new Value.CommitTimestamp(random.nextLong());
            }
        }
    }

    /** Values of every kind across many chunks, and one larger than a chunk, read back equal. */
    @Test
    void everyValueReadsBackAsAppended() {
        Random random = new Random(1);
        ValueArena arena = new ValueArena(InMemoryBudget.unlimited());
        List<Value> values = new ArrayList<>();
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Value value = randomValue(random);
            if (i == 300) {
                // 160 patches of 8 KiB: more than a chunk, so it gets a chunk of its own.
                List<Patch> big = new ArrayList<>();
                for (int p = 0; p < 160; p++) {
                    big.add(new Patch(0, new byte[Page.SIZE]));
                }
                value = new Value.PageDelta(big);
                assertTrue(value.encodedSize() > ChunkPool.CHUNK_SIZE);
            }
            values.add(value);
            addresses.add(arena.append(value));
        }
        for (int i = 0; i < values.size(); i++) {
            assertEquals(new String(values.get(i).encode(), java.nio.charset.StandardCharsets.ISO_8859_1),
                    new String(arena.read(addresses.get(i)).encode(), java.nio.charset.StandardCharsets.ISO_8859_1),
                    "value " + i);
        }
        arena.release();
    }

    @Test
    void anImageAppendedFromItsRecordReadsBackAsThePageImageValue() {
        byte[] page = new byte[Page.SIZE];
        new Random(3).nextBytes(page);
        byte[] body = WalEncoder.encode(List.of(new WalRecord.PageImage(Lsn.of(0x100), new RelTag(1, 2, 3, 0), 4, page)));
        WalRecord.PageImage decoded = (WalRecord.PageImage) WalDecoder.decode(body).records().get(0);
        ValueArena arena = new ValueArena(InMemoryBudget.unlimited());

        long address = arena.appendImage(decoded);

        assertArrayEquals(new Value.PageImage(page).encode(), arena.read(address).encode());
        assertEquals(ValueArena.IMAGE_SIZE, arena.encoded(address).remaining());
    }

    @Test
    void releasedChunksAreReusedByTheNextArena() {
        ValueArena first = new ValueArena(InMemoryBudget.unlimited());
        for (int i = 0; i < 300; i++) {
            first.append(new Value.PageImage(new byte[Page.SIZE]));
        }
        int before = ChunkPool.pooled();
        first.release();
        assertTrue(ChunkPool.pooled() > before, "the chunks went back to the pool");
        ValueArena second = new ValueArena(InMemoryBudget.unlimited());
        byte[] page = new byte[Page.SIZE];
        page[7] = 42;
        long address = second.append(new Value.PageImage(page));
        assertEquals(42, ((Value.PageImage) second.read(address)).page()[7]);
        second.release();
    }
}
