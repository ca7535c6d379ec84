package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
