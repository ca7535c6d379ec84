package org.pageserver.domain.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenerationTest {

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 0x7FFF_FFFFL, 0xFFFF_FFFFL})
    void acceptsTheU32Range(long value) {
        assertEquals(value, new Generation(value).value());
        assertEquals(Long.toString(value), new Generation(value).toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE})
    void rejectsValuesOutsideU32(long value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Generation(value));
        assertTrue(e.getMessage().contains("u32"), e.getMessage());
    }

    @Test
    void suffixIsEightLowerCaseHexDigits() {
        assertEquals("00000000", new Generation(0).suffix());
        assertEquals("0000001f", new Generation(31).suffix());
        assertEquals("ffffffff", new Generation(0xFFFF_FFFFL).suffix());
    }

    @Test
    void ordersNumerically() {
        assertTrue(new Generation(2).compareTo(new Generation(0xFFFF_FFFFL)) < 0);
        assertEquals(0, new Generation(5).compareTo(new Generation(5)));
    }
}
