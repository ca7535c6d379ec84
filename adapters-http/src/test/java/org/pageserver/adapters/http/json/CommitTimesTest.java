package org.pageserver.adapters.http.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitTimesTest {
    /** 2023-11-07T14:43:29Z in microseconds. */
    private static final long NOV_7 = 1_699_368_209_000_000L;

    @ParameterizedTest
    @CsvSource({
            "0, 1970-01-01T00:00:00Z",
            "1, 1970-01-01T00:00:00.000001000Z",
            "1699368209000000, 2023-11-07T14:43:29Z",
            "1699368209123456, 2023-11-07T14:43:29.123456000Z",
            "1699368209100000, 2023-11-07T14:43:29.100000000Z",
            "-1, 1969-12-31T23:59:59.999999000Z",
    })
    void formatsWithNineFractionDigitsOrNone(long micros, String text) {
        assertEquals(text, CommitTimes.format(micros));
    }

    @ParameterizedTest
    @CsvSource({
            "1970-01-01T00:00:00Z, 0",
            "2023-11-07T14:43:29Z, 1699368209000000",
            "2023-11-07T14:43:29.123456Z, 1699368209123456",
            "2023-11-07T14:43:29.123456000Z, 1699368209123456",
            "2023-11-07T14:43:29.1Z, 1699368209100000",
            "2023-11-07T14:43:29.1234567891Z, 1699368209123456",
            "2024-02-29T00:00:00Z, 1709164800000000",
    })
    void parsesUtcTimes(String text, long micros) {
        assertEquals(micros, CommitTimes.parseMicros(text));
    }

    @Test
    void formatThenParseIsTheSameTime() {
        for (long micros : new long[] {0, NOV_7, NOV_7 + 1, NOV_7 + 999_999}) {
            assertEquals(micros, CommitTimes.parseMicros(CommitTimes.format(micros)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2023-11-07T14:43:29",
            "2023-11-07 14:43:29Z",
            "2023-11-07t14:43:29z",
            "2023-11-07T14:43:29+00:00",
            "2023-11-07T14:43:29.5+01:00",
            "2023-11-07T14:43:29.Z",
            "2023-11-07",
            "1969-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-11-07T24:00:00Z",
            "2023-11-07T14:43:60Z",
            "23-11-07T14:43:29Z",
            "1699368209",
            "yesterday",
            "",
            " 2023-11-07T14:43:29Z",
    })
    void refusesAnythingElseAsInvalidTime(String text) {
        PageserverException e = assertThrows(PageserverException.class, () -> CommitTimes.parseMicros(text));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().startsWith("Invalid time: \"" + text + "\""), e.getMessage());
    }

    @Test
    void quotesTheInputAsRustDoes() {
        PageserverException e = assertThrows(PageserverException.class, () -> CommitTimes.parseMicros("a\"b\\c"));
        assertTrue(e.getMessage().startsWith("Invalid time: \"a\\\"b\\\\c\""), e.getMessage());
    }
}
