package org.pageserver.domain.lsn;

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
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {

    @ParameterizedTest
    @ValueSource(strings = {"0/16B5A50", "1/A", "0/0", "FFFFFFFF/FFFFFFFF", "12345678/9ABCDEF0"})
    void canonicalFormsRoundTrip(String text) {
        assertEquals(text, Lsn.parse(text).toString());
    }

    @Test
    void parsesTheHalvesAsHighAndLow32Bits() {
        assertEquals(0x16B5A50L, Lsn.parse("0/16B5A50").value());
        assertEquals((1L << 32) | 0xA, Lsn.parse("1/A").value());
        assertEquals(-1L, Lsn.parse("FFFFFFFF/FFFFFFFF").value());
        assertEquals(Lsn.MAX, Lsn.parse("FFFFFFFF/FFFFFFFF"));
        assertEquals(Lsn.INVALID, Lsn.parse("0/0"));
    }

    @Test
    void rendersUpperCaseUnpadded() {
        assertEquals("0/16B5A50", Lsn.of(0x16B5A50L).toString());
        assertEquals("1/0", Lsn.of(1L << 32).toString());
        assertEquals("0/1000000", Lsn.INITDB.toString());
    }

    @Test
    void acceptsLowerCaseAndMixedCase() {
        assertEquals(Lsn.parse("0/16B5A50"), Lsn.parse("0/16b5a50"));
        assertEquals("ABC/DEF", Lsn.parse("aBc/dEf").toString());
    }

    @Test
    void trimsSurroundingBlanks() {
        assertEquals(Lsn.parse("0/16B5A50"), Lsn.parse("  0/16B5A50\t\n"));
    }

    @Test
    void acceptsLeadingZerosUpToEightDigits() {
        assertEquals(Lsn.parse("1/A"), Lsn.parse("00000001/0000000A"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"16B5A50", "0/", "/1", "/", "0/1/2", "g/0", "0/g", "123456789/0", "0/123456789",
            " ", "0 /1", "0/ 1", "-1/0", "+1/0", "0x1/0", "1.0/0"})
    void rejectsMalformedText(String text) {
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0661/0", "0/\uFF11", "\uFF21/0"})
    void rejectsNonAsciiDigits(String text) {
        // Arabic-Indic one, full-width one, full-width A: Character.digit takes them, PostgreSQL and Neon do not.
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse(text));
    }

    @Test
    void errorMessageQuotesTheInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lsn.parse("16B5A50"));
        assertTrue(e.getMessage().contains("16B5A50"), e.getMessage());
    }

    @Test
    void ordersUnsigned() {
        Lsn small = Lsn.parse("0/1");
        Lsn aboveTwoTo63 = Lsn.parse("80000000/0");
        assertTrue(aboveTwoTo63.value() < 0, "precondition: stored as a negative long");
        assertTrue(aboveTwoTo63.compareTo(small) > 0);
        assertTrue(small.isBefore(aboveTwoTo63));
        assertTrue(aboveTwoTo63.isAfter(small));
        assertTrue(Lsn.MAX.isAfter(aboveTwoTo63));

        List<Lsn> sorted = new ArrayList<>(List.of(Lsn.MAX, aboveTwoTo63, small, Lsn.INVALID));
        Collections.sort(sorted);
        assertEquals(List.of(Lsn.INVALID, small, aboveTwoTo63, Lsn.MAX), sorted);
        assertEquals(aboveTwoTo63, Lsn.max(small, aboveTwoTo63));
        assertEquals(small, Lsn.min(aboveTwoTo63, small));
    }

    @Test
    void validityIsNonZero() {
        assertFalse(Lsn.INVALID.isValid());
        assertTrue(Lsn.of(1).isValid());
        assertTrue(Lsn.MAX.isValid());
    }

    @Test
    void plusAddsAndRefusesToWrap() {
        assertEquals(Lsn.parse("1/0"), Lsn.parse("0/FFFFFFFF").plus(1));
        assertEquals(Lsn.parse("80000000/0"), Lsn.parse("7FFFFFFF/FFFFFFFF").plus(1), "crossing 2^63 is fine");
        assertEquals(Lsn.MAX, Lsn.MAX.plus(0));
        assertThrows(ArithmeticException.class, () -> Lsn.MAX.plus(1));
        assertThrows(ArithmeticException.class, () -> Lsn.parse("FFFFFFFF/0").plus(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> Lsn.of(10).plus(-1));
    }

    @Test
    void saturatingMinusStopsAtZero() {
        assertEquals(Lsn.of(6), Lsn.of(10).saturatingMinus(4));
        assertEquals(Lsn.INVALID, Lsn.of(10).saturatingMinus(10));
        assertEquals(Lsn.INVALID, Lsn.of(10).saturatingMinus(11));
        assertEquals(Lsn.INVALID, Lsn.of(10).saturatingMinus(Long.MAX_VALUE));
        assertEquals(Lsn.parse("7FFFFFFF/FFFFFFFF"), Lsn.parse("80000000/0").saturatingMinus(1),
                "values above 2^63 subtract as unsigned");
        assertEquals(Lsn.of(-1L - Long.MAX_VALUE), Lsn.MAX.saturatingMinus(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> Lsn.of(10).saturatingMinus(-1));
    }

    @Test
    void distanceFromAnEarlierLsn() {
        assertEquals(0x10L, Lsn.parse("0/20").distanceFrom(Lsn.parse("0/10")));
        assertEquals(0L, Lsn.of(5).distanceFrom(Lsn.of(5)));
        assertEquals(1L, Lsn.parse("80000000/0").distanceFrom(Lsn.parse("7FFFFFFF/FFFFFFFF")));
        assertThrows(IllegalArgumentException.class, () -> Lsn.of(5).distanceFrom(Lsn.of(6)));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("0/1").distanceFrom(Lsn.parse("80000000/0")),
                "the earlier one is compared unsigned");
    }

    @Test
    void distanceTooLargeForALongIsRefusedNotNegative() {
        assertThrows(ArithmeticException.class, () -> Lsn.MAX.distanceFrom(Lsn.INVALID));
        assertEquals(Long.MAX_VALUE, Lsn.parse("7FFFFFFF/FFFFFFFF").distanceFrom(Lsn.INVALID));
    }

    @Test
    void parseLenientTakesDecimalOrSlashForm() {
        assertEquals(Lsn.of(23_812_688L), Lsn.parseLenient("23812688"));
        assertEquals(Lsn.parse("0/16B5A50"), Lsn.parseLenient("0/16B5A50"));
        assertEquals(Lsn.MAX, Lsn.parseLenient("18446744073709551615"), "u64 max");
        assertEquals(Lsn.of(42), Lsn.parseLenient(" 42 "));
        assertEquals(Lsn.INVALID, Lsn.parseLenient("0"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"18446744073709551616", "-1", "1e3", "abc", "  ", "0x10", "\u0661\u0662"})
    void parseLenientRejectsEverythingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> Lsn.parseLenient(text));
    }

    @Test
    void randomValuesRoundTripThroughText() {
        Random random = new Random(20231107L);
        for (int i = 0; i < 10_000; i++) {
            long value = switch (i % 3) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt() & 0xFFFF_FFFFL;
                default -> random.nextLong() >>> random.nextInt(64);
            };
            Lsn lsn = Lsn.of(value);
            String text = lsn.toString();
            assertEquals(lsn, Lsn.parse(text), text);
            assertEquals(lsn, Lsn.parse(text.toLowerCase()), text);
            assertEquals(lsn, Lsn.parseLenient(Long.toUnsignedString(value)), text);
        }
    }

    @Test
    void randomPairsOrderLikeUnsignedIntegers() {
        Random random = new Random(7L);
        for (int i = 0; i < 2_000; i++) {
            long a = random.nextLong();
            long b = random.nextLong();
            int expected = Integer.signum(Long.compareUnsigned(a, b));
            assertEquals(expected, Integer.signum(Lsn.of(a).compareTo(Lsn.of(b))));
            assertEquals(expected, Integer.signum(Lsn.parse(Lsn.of(a).toString()).compareTo(Lsn.of(b))));
        }
    }
}
