package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueTest {

    private static byte[] page(int seed) {
        byte[] page = new byte[Page.SIZE];
        new Random(seed).nextBytes(page);
        return page;
    }

    private static List<Value> samples() {
        return List.of(
                new Value.PageImage(page(1)),
                new Value.PageImage(Page.zero()),
                new Value.PageDelta(List.of()),
                new Value.PageDelta(List.of(new Patch(0, new byte[] {1, 2, 3}), new Patch(8190, new byte[] {9, 9}),
                        new Patch(8192, new byte[0]), new Patch(0, page(2)))),
                RelSize.NONE,
                new RelSize(0xFFFF_FFFFL, true, List.of()),
                new RelSize(7, true, List.of(new RelSize.Truncation(100, 0), new RelSize.Truncation(0x8000_0000_0000_0000L, 5))),
                new RelSize(0, false, List.of(new RelSize.Truncation(-1L, 0))),
                new Value.CommitTimestamp(1_700_000_000_000_000L),
                new Value.CommitTimestamp(Long.MIN_VALUE));
    }

    @Test
    void everyKindRoundTripsAndEncodedSizeIsTheEncodedLength() {
        for (Value value : samples()) {
            byte[] encoded = value.encode();
            assertEquals(value.encodedSize(), encoded.length, value.toString());
            Value decoded = Value.decode(encoded);
            assertEquals(value.getClass(), decoded.getClass());
            assertArrayEquals(encoded, decoded.encode(), value.toString());
            if (value instanceof RelSize || value instanceof Value.CommitTimestamp) {
                assertEquals(value, decoded);
            }
        }
    }

    @Test
    void decodesConsecutiveValuesFromOneBuffer() {
        List<Value> values = samples();
        ByteBuffer buffer = ByteBuffer.allocate(values.stream().mapToInt(Value::encodedSize).sum());
        values.forEach(v -> buffer.put(v.encode()));
        buffer.flip();
        for (Value value : values) {
            assertArrayEquals(value.encode(), Value.decode(buffer).encode());
        }
        assertFalse(buffer.hasRemaining());
    }

    @Test
    void decodedPagesAndPatchesKeepTheirBytes() {
        byte[] image = page(3);
        Value.PageImage decoded = (Value.PageImage) Value.decode(new Value.PageImage(image).encode());
        assertArrayEquals(image, decoded.page());
        Value.PageDelta delta = (Value.PageDelta) Value.decode(
                new Value.PageDelta(List.of(new Patch(4000, new byte[] {5, 6}))).encode());
        assertEquals(4000, delta.patches().get(0).offset());
        assertArrayEquals(new byte[] {5, 6}, delta.patches().get(0).bytes());
    }

    @Test
    void onlyDeltasNeedAnOlderVersion() {
        for (Value value : samples()) {
            assertEquals(!(value instanceof Value.PageDelta), value.willInit(), value.toString());
        }
    }

    @Test
    void encodeToPutsTheEncodedBytesAtTheBufferPositionOfAnyBuffer() {
        for (Value value : samples()) {
            for (ByteBuffer out : List.of(ByteBuffer.allocate(value.encodedSize() + 10),
                    ByteBuffer.allocateDirect(value.encodedSize() + 10))) {
                out.put(new byte[] {7, 7, 7});
                value.encodeTo(out);
                assertEquals(3 + value.encodedSize(), out.position(), value.toString());
                byte[] written = new byte[value.encodedSize()];
                out.get(3, written);
                assertArrayEquals(value.encode(), written, value.toString());
            }
        }
    }

    @Test
    void encodeToWritesNothingWhenTheValueDoesNotFitAndRefusesLittleEndian() {
        Value image = new Value.PageImage(page(4));
        ByteBuffer small = ByteBuffer.allocate(image.encodedSize() - 1);
        assertThrows(BufferOverflowException.class, () -> image.encodeTo(small));
        assertEquals(0, small.position());
        assertArrayEquals(new byte[small.capacity()], small.array());
        ByteBuffer little = ByteBuffer.allocate(image.encodedSize()).order(ByteOrder.LITTLE_ENDIAN);
        assertThrows(IllegalArgumentException.class, () -> image.encodeTo(little));
    }

    @Test
    void theEncodingIsTheDocumentedOne() {
        // Pinned bytes: layer files (ingest files too) hold this form, so it must never drift.
        assertEquals("040102030405060708", HexFormat.of().formatHex(new Value.CommitTimestamp(0x0102030405060708L).encode()));
        assertEquals("02000201020002abcd1ffe0001ee", HexFormat.of().formatHex(new Value.PageDelta(List.of(
                new Patch(0x0102, new byte[] {(byte) 0xAB, (byte) 0xCD}), new Patch(0x1FFE, new byte[] {(byte) 0xEE}))).encode()));
        assertEquals("03000000070100010000000000000064ffffffff", HexFormat.of().formatHex(
                new RelSize(7, true, List.of(new RelSize.Truncation(100, 0xFFFF_FFFFL))).encode()));
        byte[] image = new Value.PageImage(page(5)).encode();
        assertEquals(1, image[0]);
        assertArrayEquals(page(5), java.util.Arrays.copyOfRange(image, 1, image.length));
    }

    @Test
    void rejectsUnknownTagsAndWrongImageSizes() {
        assertThrows(IllegalArgumentException.class, () -> Value.decode(new byte[] {9, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new Value.PageImage(new byte[Page.SIZE - 1]));
        assertThrows(IllegalArgumentException.class, () -> new RelSize(3, false, List.of()));
    }

    @Test
    void deltaPatchListIsACopy() {
        java.util.ArrayList<Patch> patches = new java.util.ArrayList<>(List.of(new Patch(0, new byte[] {1})));
        Value.PageDelta delta = new Value.PageDelta(patches);
        patches.clear();
        assertEquals(1, delta.patches().size());
        assertTrue(delta.encodedSize() > 3);
    }
}
