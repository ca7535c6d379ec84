package org.pageserver.domain.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef";

    @Test
    void acceptsThirtyTwoLowerCaseHexCharacters() {
        TenantId id = TenantId.parse(HEX);
        assertEquals(HEX, id.hex());
        assertEquals(HEX, id.toString());
    }

    @Test
    void normalizesUpperCaseToLowerCase() {
        TenantId upper = TenantId.parse(HEX.toUpperCase());
        assertEquals(HEX, upper.hex());
        assertEquals(TenantId.parse(HEX), upper);
        assertEquals(TenantId.parse(HEX).hashCode(), upper.hashCode());
    }

    @Test
    void namesTheFirstBadCharacterAndItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TenantId.parse("0123456789abcdefg123456789abcdef"));
        assertEquals("Invalid character 'g' at position 16", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TenantId.parse("g".repeat(32)));
        assertTrue(e.getMessage().contains("Invalid character 'g' at position 0"), e.getMessage());
    }

    @Test
    void reportsAnOddNumberOfDigits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TenantId.parse("abc"));
        assertTrue(e.getMessage().contains("Odd number of digits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TenantId.parse(HEX + "0"));
        assertTrue(e.getMessage().contains("Odd number of digits"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "0123456789abcdef0123456789abcdef00", "0123456789abcdef0123456789abcd"})
    void reportsAnEvenButWrongLength(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TenantId.parse(text));
        assertTrue(e.getMessage().contains("Invalid string length"), e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> TenantId.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\uFF21bcdef0123456789abcdef0123456789",   // full-width A
            "\u0661bcdef0123456789abcdef0123456789",   // Arabic-Indic one
            "0123456789abcdef0123456789abcde ",
            "-123456789abcdef0123456789abcdef"})
    void rejectsCharactersOutsideAsciiHex(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TenantId.parse(text));
        assertTrue(e.getMessage().startsWith("Invalid character"), e.getMessage());
    }

    @Test
    void generatedIdsAreValidAndUnique() {
        Set<TenantId> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            TenantId id = TenantId.generate();
            assertTrue(id.hex().matches("[0-9a-f]{32}"), id.hex());
            assertEquals(id, TenantId.parse(id.hex()));
            assertTrue(seen.add(id), "duplicate " + id);
        }
    }

    @Test
    void ordersByHex() {
        assertTrue(TenantId.parse("0".repeat(32)).compareTo(TenantId.parse("f".repeat(32))) < 0);
        assertTrue(TenantId.parse("A".repeat(32)).compareTo(TenantId.parse("b".repeat(32))) < 0,
                "upper-case input orders as its lower-case form");
    }
}
