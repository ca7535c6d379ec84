package org.pageserver.domain.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelTag;

class LayerNameTest {
    private static final String WHOLE_KEYS = "000000000000000000000000000000000000-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

    @Test
    void fileNameRoundTrips() {
        LayerName name = new LayerName(Key.MIN, Key.MAX, Lsn.of(0x0100_0001L), Lsn.of(0x0200_0000L));
        assertEquals(WHOLE_KEYS + "__0000000001000001-0000000002000000", name.fileName());
        assertEquals(name, LayerName.parse(name.fileName()));
        assertEquals(name.fileName(), name.toString());

        LayerName high = new LayerName(Key.block(new RelTag(0x8000_0000L, 1, 2, 0), 3), Key.COMMIT,
                Lsn.of(0x8000_0000_0000_0000L), Lsn.MAX);
        assertEquals(high, LayerName.parse(high.fileName()));
        assertTrue(high.fileName().matches("[0-9A-F]{36}-[0-9A-F]{36}__[0-9A-F]{16}-[0-9A-F]{16}"));
    }

    @Test
    void imageNamesHaveOneLsn() {
        LayerName image = LayerName.image(Key.MIN, Key.MAX, Lsn.of(0x0100_0001L));
        assertEquals(WHOLE_KEYS + "__0000000001000001", image.fileName());
        assertEquals(image, LayerName.parse(image.fileName()));
        assertTrue(image.image());
        assertEquals(Lsn.of(0x0100_0002L), image.lsnEnd());
        LayerName delta = new LayerName(Key.MIN, Key.MAX, Lsn.of(0x0100_0001L), Lsn.of(0x0100_0002L));
        assertFalse(delta.image());
        assertFalse(delta.equals(image));
        assertThrows(IllegalArgumentException.class, () -> new LayerName(Key.MIN, Key.MAX, Lsn.of(1), Lsn.of(3), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        WHOLE_KEYS,
        WHOLE_KEYS + "__000000000100000",
        WHOLE_KEYS + "__FFFFFFFFFFFFFFFF",
        WHOLE_KEYS + "__0000000001000001-",
        WHOLE_KEYS + "__0000000001000001-000000000200000",
        WHOLE_KEYS + "__0000000001000001-00000000020000000",
        WHOLE_KEYS + "__000000000100000G-0000000002000000",
        WHOLE_KEYS + "__+000000001000001-0000000002000000",
        WHOLE_KEYS + "__0000000001000001-0000000002000000-0000000003000000",
        WHOLE_KEYS + "__0000000001000001__0000000002000000",
        WHOLE_KEYS + "__0000000002000000-0000000002000000",
        WHOLE_KEYS + "__0000000002000000-0000000001000000",
        "000000000000000000000000000000000000__0000000001000001-0000000002000000",
        "00000000000000000000000000000000000-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF__0000000001000001-0000000002000000",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF-000000000000000000000000000000000000__0000000001000001-0000000002000000",
        "00+000000000000000000000000000000000-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF__0000000001000001-0000000002000000",
        WHOLE_KEYS + "__0000000001000001-0000000002000000.tmp",
    })
    void parseRejectsMalformedNames(String fileName) {
        assertThrows(IllegalArgumentException.class, () -> LayerName.parse(fileName));
    }

    @Test
    void ordersByLsnUnsignedThenKey() {
        Key a = Key.MIN;
        Key b = Key.block(new RelTag(1, 1, 1, 0), 0);
        Key c = Key.block(new RelTag(0x8000_0000L, 1, 1, 0), 0);
        List<LayerName> expected = List.of(
                new LayerName(a, Key.MAX, Lsn.of(10), Lsn.of(20)),
                new LayerName(b, Key.MAX, Lsn.of(10), Lsn.of(20)),
                new LayerName(c, Key.MAX, Lsn.of(10), Lsn.of(20)),
                new LayerName(a, Key.MAX, Lsn.of(10), Lsn.of(0x8000_0000_0000_0000L)),
                new LayerName(a, b, Lsn.of(20), Lsn.of(30)),
                new LayerName(a, c, Lsn.of(20), Lsn.of(30)),
                new LayerName(a, Key.MAX, Lsn.of(20), Lsn.of(30)),
                new LayerName(a, Key.MAX, Lsn.of(0x7FFF_FFFF_FFFF_FFFFL), Lsn.MAX),
                new LayerName(a, Key.MAX, Lsn.of(0x8000_0000_0000_0000L), Lsn.MAX));
        List<LayerName> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(3));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
    }

    @Test
    void rangesAreHalfOpen() {
        Key start = Key.block(new RelTag(1, 1, 1, 0), 5);
        Key end = Key.block(new RelTag(1, 1, 1, 0), 9);
        LayerName name = new LayerName(start, end, Lsn.of(100), Lsn.of(200));
        assertTrue(name.containsKey(start));
        assertFalse(name.containsKey(end));
        assertFalse(name.containsKey(Key.block(new RelTag(1, 1, 1, 0), 4)));
        assertTrue(name.containsLsn(Lsn.of(100)));
        assertTrue(name.containsLsn(Lsn.of(199)));
        assertFalse(name.containsLsn(Lsn.of(200)));
        assertFalse(name.containsLsn(Lsn.of(99)));
    }

    @Test
    void constructorRejectsEmptyRanges() {
        assertThrows(IllegalArgumentException.class, () -> new LayerName(Key.MAX, Key.MIN, Lsn.of(1), Lsn.of(2)));
        assertThrows(IllegalArgumentException.class, () -> new LayerName(Key.MIN, Key.MIN, Lsn.of(1), Lsn.of(2)));
        assertThrows(IllegalArgumentException.class, () -> new LayerName(Key.MIN, Key.MAX, Lsn.of(2), Lsn.of(2)));
        assertThrows(IllegalArgumentException.class, () -> new LayerName(Key.MIN, Key.MAX, Lsn.MAX, Lsn.of(1)));
    }

    @Test
    void descriptorRejectsANegativeSize() {
        LayerName name = new LayerName(Key.MIN, Key.MAX, Lsn.of(1), Lsn.of(2));
        assertEquals(5, new LayerDescriptor(name, 5).fileSize());
        assertThrows(IllegalArgumentException.class, () -> new LayerDescriptor(name, -1));
    }
}
