package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyTest {
    private static final long U32_MAX = 0xFFFF_FFFFL;

    private static Key randomKey(Random random) {
        // Mostly edge values, so the sign bit of every field gets exercised.
        long[] u32 = {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, U32_MAX - 1, U32_MAX};
        int[] u8 = {0, 1, 0x7F, 0x80, 0xFF};
        return new Key(u8[random.nextInt(u8.length)], u32[random.nextInt(u32.length)], u32[random.nextInt(u32.length)],
                u32[random.nextInt(u32.length)], u8[random.nextInt(u8.length)], u32[random.nextInt(u32.length)]);
    }

    private static byte[] bytes(Key key) {
        ByteBuffer buffer = ByteBuffer.allocate(Key.ENCODED_SIZE);
        key.writeTo(buffer);
        return buffer.array();
    }

    @Test
    void ordersAsUnsignedBytes() {
        Key spc1 = new Key(0, 1, 0, 0, 0, 0);
        Key spcHigh = new Key(0, 0x8000_0000L, 0, 0, 0, 0);
        assertTrue(spcHigh.compareTo(spc1) > 0);
        assertTrue(new Key(0, 0, 0, 0, 0, 0x8000_0000L).compareTo(new Key(0, 0, 0, 0, 0, 1)) > 0);
        assertTrue(new Key(0x80, 0, 0, 0, 0, 0).compareTo(new Key(1, U32_MAX, U32_MAX, U32_MAX, 0xFF, U32_MAX)) > 0);

        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            Key a = randomKey(random);
            Key b = randomKey(random);
            assertEquals(Integer.signum(Arrays.compareUnsigned(bytes(a), bytes(b))), Integer.signum(a.compareTo(b)),
                    a + " vs " + b);
        }
    }

    @Test
    void writeToAndReadFromRoundTrip() {
        Random random = new Random(11);
        for (int i = 0; i < 1000; i++) {
            Key key = randomKey(random);
            byte[] encoded = bytes(key);
            assertEquals(Key.ENCODED_SIZE, encoded.length);
            assertEquals(key, Key.readFrom(ByteBuffer.wrap(encoded)));
        }
    }

    @Test
    void hexRoundTripsAndIsTheByteForm() {
        Random random = new Random(13);
        for (int i = 0; i < 1000; i++) {
            Key key = randomKey(random);
            String hex = key.toHex();
            assertEquals(36, hex.length());
            assertEquals(key, Key.parseHex(hex));
            assertEquals(java.util.HexFormat.of().withUpperCase().formatHex(bytes(key)), hex);
        }
        assertEquals("00" + "0000067F" + "00004000" + "00004001" + "00" + "0000002A",
                Key.block(new RelTag(1663, 16384, 16385, 0), 42).toHex());
    }

    @Test
    void parseHexRejectsBadForms() {
        String good = Key.MIN.toHex();
        assertThrows(IllegalArgumentException.class, () -> Key.parseHex(good.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> Key.parseHex(good + "0"));
        assertThrows(IllegalArgumentException.class, () -> Key.parseHex("G" + good.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> Key.parseHex("00-0000001" + good.substring(10)));
        // A sign is not a hex digit: "+0000001" must not parse as spc 1.
        assertThrows(IllegalArgumentException.class, () -> Key.parseHex("00+0000001" + good.substring(10)));
    }

    @Test
    void nextIsTheImmediateSuccessor() {
        List<Key> keys = new ArrayList<>(List.of(new Key(0, 1, 2, 3, 4, 5), new Key(0, 1, 2, 3, 4, U32_MAX),
                new Key(0, 1, 2, 3, 0xFF, U32_MAX), new Key(0, 1, 2, U32_MAX, 0xFF, U32_MAX),
                new Key(0, 1, U32_MAX, U32_MAX, 0xFF, U32_MAX), new Key(1, U32_MAX, U32_MAX, U32_MAX, 0xFF, U32_MAX)));
        assertEquals(new Key(0, 1, 2, 3, 4, 6), keys.get(0).next());
        assertEquals(new Key(0, 1, 2, 3, 5, 0), keys.get(1).next());
        assertEquals(new Key(0, 1, 2, 4, 0, 0), keys.get(2).next());
        assertEquals(new Key(0, 1, 3, 0, 0, 0), keys.get(3).next());
        assertEquals(new Key(0, 2, 0, 0, 0, 0), keys.get(4).next());
        assertEquals(new Key(2, 0, 0, 0, 0, 0), keys.get(5).next());
        for (Key key : keys) {
            // The successor as an 18-byte big-endian number plus one.
            byte[] b = bytes(key);
            for (int i = b.length - 1; i >= 0 && ++b[i] == 0; i--) {
                // carry
            }
            assertEquals(Key.readFrom(ByteBuffer.wrap(b)), key.next());
        }
    }

    @Test
    void dbSizeRangeHoldsExactlyThatDatabasesSizeKeys() {
        long[][] dbs = {{1663, 16384}, {1663, U32_MAX}, {U32_MAX, U32_MAX}, {0, 0}, {0x8000_0000L, 0x8000_0000L}};
        for (long[] db : dbs) {
            Key start = Key.dbSizeRangeStart(db[0], db[1]);
            Key end = Key.dbSizeRangeEnd(db[0], db[1]);
            assertTrue(start.compareTo(end) < 0);
            for (long rel : new long[] {0, 1, U32_MAX}) {
                for (int fork : new int[] {0, 0xFF}) {
                    Key inside = Key.relSize(new RelTag(db[0], db[1], rel, fork));
                    assertTrue(inside.compareTo(start) >= 0 && inside.compareTo(end) < 0, inside + " in " + db[1]);
                }
            }
            List<Key> outside = new ArrayList<>();
            if (db[1] < U32_MAX) {
                outside.add(Key.relSize(new RelTag(db[0], db[1] + 1, 0, 0)));
            }
            if (db[1] > 0) {
                outside.add(Key.relSize(new RelTag(db[0], db[1] - 1, U32_MAX, 0xFF)));
            }
            if (db[0] < U32_MAX) {
                outside.add(Key.relSize(new RelTag(db[0] + 1, db[1], 0, 0)));
            }
            outside.add(Key.block(new RelTag(db[0], db[1], 5, 0), 0));
            outside.add(Key.COMMIT);
            for (Key key : outside) {
                assertFalse(key.compareTo(start) >= 0 && key.compareTo(end) < 0, key + " outside " + db[1]);
            }
            assertTrue(start.compareTo(Key.allSizesStart()) >= 0 && end.compareTo(Key.allSizesEnd()) <= 0);
        }
    }

    @Test
    void keyKindsAreSeparateRanges() {
        Key block = Key.block(new RelTag(U32_MAX, U32_MAX, U32_MAX, 0xFF), U32_MAX - 1);
        assertTrue(block.compareTo(Key.allSizesStart()) < 0);
        assertTrue(Key.COMMIT.compareTo(Key.allSizesEnd()) >= 0);
        assertTrue(Key.COMMIT.compareTo(Key.MAX) < 0);
        assertTrue(Key.MIN.compareTo(block) < 0);
    }

    @Test
    void constructorChecksRanges() {
        assertThrows(IllegalArgumentException.class, () -> new Key(256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Key(0, -1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Key(0, 0, 0, 0, 256, 0));
        assertThrows(IllegalArgumentException.class, () -> new Key(0, 0, 0, 0, 0, U32_MAX + 1));
    }
}
