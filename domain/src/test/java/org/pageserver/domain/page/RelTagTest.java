package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelTagTest {

    @Test
    void parsesAndFormatsTheTextForm() {
        RelTag rel = RelTag.parse("1663/16384/16385/0");
        assertEquals(new RelTag(1663, 16384, 16385, 0), rel);
        assertEquals("1663/16384/16385/0", rel.toString());
    }

    @Test
    void acceptsTheEdgesOfEachRange() {
        RelTag max = RelTag.parse("4294967295/4294967295/4294967295/255");
        assertEquals(new RelTag(0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 255), max);
        assertEquals("4294967295/4294967295/4294967295/255", max.toString());
        assertEquals(new RelTag(0, 0, 0, 0), RelTag.parse("0/0/0/0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1/2/3", "1/2/3/4/5", "1//3/0", "1/2/3/", "a/2/3/0", "-1/2/3/0", "+1/2/3/0",
            " 1/2/3/0", "1/2/3/0 ", "4294967296/2/3/0", "1/4294967296/3/0", "1/2/4294967296/0", "1/2/3/256",
            "1/2/3/99999999999", "1/2/3/4294967296", "1/2/3/4294967297", "1/2/3/4294967551", "0x1/2/3/0"})
    void rejectsBadForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelTag.parse(text));
        assertTrue(e.getMessage().contains("invalid relation") || e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> RelTag.parse(null));
    }

    @Test
    void constructorChecksRanges() {
        assertThrows(IllegalArgumentException.class, () -> new RelTag(-1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RelTag(0, 0x1_0000_0000L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RelTag(0, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new RelTag(0, 0, 0, 256));
    }
}
