package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.lsn.Lsn;

class EncodedVersionTest {
    private static final RelTag REL = new RelTag(1663, 5, 16384, 0);

    @Test
    void holdsExactlyTheValuesEncodingAndDecodesBackToIt() {
        Value delta = new Value.PageDelta(List.of(new Patch(10, new byte[] {1, 2, 3})));
        EncodedVersion encoded = EncodedVersion.of(new KeyVersion(Key.block(REL, 7), Lsn.of(0x100), delta));

        assertEquals(delta.encodedSize(), encoded.value().remaining());
        assertArrayEquals(delta.encode(), encoded.decode().encode());
        // Decoding reads a view: the version can be decoded again, and written, afterwards.
        assertEquals(0, encoded.value().position());
        assertArrayEquals(delta.encode(), encoded.decode().encode());
    }

    @Test
    void ordersByKeyThenLsn() {
        Value v = new Value.CommitTimestamp(1);
        EncodedVersion a = EncodedVersion.of(new KeyVersion(Key.block(REL, 1), Lsn.of(0x200), v));
        EncodedVersion b = EncodedVersion.of(new KeyVersion(Key.block(REL, 2), Lsn.of(0x100), v));
        EncodedVersion c = EncodedVersion.of(new KeyVersion(Key.block(REL, 2), Lsn.of(0x300), v));

        assertTrue(EncodedVersion.ORDER.compare(a, b) < 0);
        assertTrue(EncodedVersion.ORDER.compare(b, c) < 0);
        assertEquals(0, EncodedVersion.ORDER.compare(c, c));
    }
}
