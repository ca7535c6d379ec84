package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageReconstructionTest {

    private static byte[] filled(int b) {
        byte[] page = new byte[Page.SIZE];
        Arrays.fill(page, (byte) b);
        return page;
    }

    private static Value.PageDelta delta(int offset, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new Value.PageDelta(List.of(new Patch(offset, b)));
    }

    @Test
    void nothingIsAZeroPage() {
        assertArrayEquals(Page.zero(), PageReconstruction.reconstruct(List.of()));
    }

    @Test
    void imageWithDeltasAppliedOldestFirst() {
        byte[] image = filled(7);
        // newest first: the newer delta writes over the older one at offset 1
        byte[] page = PageReconstruction.reconstruct(List.of(delta(1, 3), delta(0, 1, 2), new Value.PageImage(image)));
        byte[] expected = filled(7);
        expected[0] = 1;
        expected[1] = 3;
        assertArrayEquals(expected, page);
        assertArrayEquals(filled(7), image, "the stored image is not modified");
    }

    @Test
    void deltasAloneStartFromZeros() {
        byte[] page = PageReconstruction.reconstruct(List.of(delta(8191, 9), delta(10, 1, 1)));
        byte[] expected = Page.zero();
        expected[10] = 1;
        expected[11] = 1;
        expected[8191] = 9;
        assertArrayEquals(expected, page);
    }

    @Test
    void aPatchListAppliesInOrder() {
        Value.PageDelta both = new Value.PageDelta(List.of(new Patch(0, new byte[] {1, 1}), new Patch(1, new byte[] {2})));
        byte[] page = PageReconstruction.reconstruct(List.of(both));
        assertEquals(1, page[0]);
        assertEquals(2, page[1]);
    }

    @Test
    void anImageInTheMiddleReplacesEverythingOlder() {
        byte[] page = PageReconstruction.reconstruct(
                List.of(delta(5, 4), new Value.PageImage(filled(2)), delta(0, 9), new Value.PageImage(filled(1))));
        byte[] expected = filled(2);
        expected[5] = 4;
        assertArrayEquals(expected, page);
    }

    @Test
    void rejectsNonPageValues() {
        assertThrows(IllegalArgumentException.class,
                () -> PageReconstruction.reconstruct(List.of(new Value.CommitTimestamp(1), delta(0, 1))));
    }

    @Test
    void patchBounds() {
        new Patch(0, new byte[Page.SIZE]);
        new Patch(Page.SIZE, new byte[0]);
        new Patch(Page.SIZE - 1, new byte[1]);
        assertThrows(IllegalArgumentException.class, () -> new Patch(-1, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new Patch(Page.SIZE - 1, new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> new Patch(1, new byte[Page.SIZE]));
        assertThrows(IllegalArgumentException.class, () -> new Patch(Page.SIZE + 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Patch(0, null));
    }
}
