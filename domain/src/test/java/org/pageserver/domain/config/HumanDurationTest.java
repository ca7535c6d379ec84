package org.pageserver.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HumanDurationTest {
    private static final Duration MONTH = Duration.ofSeconds(2_630_016L);     // 30.44 days
    private static final Duration YEAR = Duration.ofSeconds(31_557_600L);     // 365.25 days

    static Stream<Arguments> parsed() {
        return Stream.of(
                Arguments.of("1h", Duration.ofHours(1)),
                Arguments.of("10 m", Duration.ofMinutes(10)),
                Arguments.of("1 hr", Duration.ofHours(1)),
                Arguments.of("2h 13m", Duration.ofHours(2).plusMinutes(13)),
                Arguments.of("2h13m", Duration.ofHours(2).plusMinutes(13)),
                Arguments.of("30sec", Duration.ofSeconds(30)),
                Arguments.of("1day", Duration.ofDays(1)),
                Arguments.of("7 days", Duration.ofDays(7)),
                Arguments.of("7days", Duration.ofDays(7)),
                Arguments.of("1w", Duration.ofDays(7)),
                Arguments.of("2weeks", Duration.ofDays(14)),
                Arguments.of("1M", MONTH),
                Arguments.of("1m", Duration.ofMinutes(1)),
                Arguments.of("1y", YEAR),
                Arguments.of("2years", YEAR.multipliedBy(2)),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("10us", Duration.ofNanos(10_000)),
                Arguments.of("10\u00B5s", Duration.ofNanos(10_000)),
                Arguments.of("5ns", Duration.ofNanos(5)),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of("  20s  ", Duration.ofSeconds(20)),
                Arguments.of("1m 20s", Duration.ofSeconds(80)),
                Arguments.of("1h 1h", Duration.ofHours(2)),
                Arguments.of("3minutes 4seconds 5msec", Duration.ofSeconds(184).plusMillis(5)));
    }

    @ParameterizedTest
    @MethodSource("parsed")
    void parsesHumantimeForms(String text, Duration expected) {
        assertEquals(expected, HumanDuration.parse(text));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"0", "7", "x", "1x", "h", " ", "1h 30", "-1h", "1.5h", "1 h m", "1H", "1 d a y",
            "99999999999999999999s", "9223372036854775807y", "\u0661h", "\uFF11s"})
    void rejectsMalformedDurations(String text) {
        assertThrows(IllegalArgumentException.class, () -> HumanDuration.parse(text));
    }

    @Test
    void aBareNumberAsksForAUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HumanDuration.parse("7"));
        assertTrue(e.getMessage().contains("unit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HumanDuration.parse("1x"));
        assertTrue(e.getMessage().contains("unknown time unit \"x\""), e.getMessage());
    }

    static Stream<Arguments> formatted() {
        return Stream.of(
                Arguments.of(Duration.ofSeconds(80), "1m 20s"),
                Arguments.of(Duration.ofSeconds(3600), "1h"),
                Arguments.of(Duration.ofDays(7), "7days"),
                Arguments.of(Duration.ofDays(1), "1day"),
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(Duration.ofMinutes(10), "10m"),
                Arguments.of(Duration.ofSeconds(20), "20s"),
                Arguments.of(Duration.ofMillis(1), "1ms"),
                Arguments.of(Duration.ofNanos(1_001_001), "1ms 1us 1ns"),
                Arguments.of(Duration.ofDays(2).plusHours(3).plusSeconds(4).plusMillis(5), "2days 3h 4s 5ms"),
                Arguments.of(MONTH, "1month"),
                Arguments.of(MONTH.multipliedBy(2).plusDays(1), "2months 1day"),
                Arguments.of(YEAR, "1year"),
                Arguments.of(YEAR.multipliedBy(3).plus(MONTH).plusMinutes(1), "3years 1month 1m"),
                Arguments.of(Duration.ofDays(365), "11months 30days 3h 50m 24s"));
    }

    @ParameterizedTest
    @MethodSource("formatted")
    void formatsLikeNeon(Duration duration, String expected) {
        assertEquals(expected, HumanDuration.format(duration));
    }

    @Test
    void refusesToFormatANegativeDuration() {
        assertThrows(IllegalArgumentException.class, () -> HumanDuration.format(Duration.ofSeconds(-1)));
    }

    @Test
    void randomDurationsRoundTrip() {
        Random random = new Random(42L);
        for (int i = 0; i < 5_000; i++) {
            Duration d = switch (i % 4) {
                case 0 -> Duration.ofSeconds(random.nextInt(100_000));
                case 1 -> Duration.ofSeconds(Math.floorMod(random.nextLong(), 10_000L * 31_557_600L));
                case 2 -> Duration.ofNanos(Math.floorMod(random.nextLong(), 1_000_000_000_000L));
                default -> Duration.ofSeconds(random.nextInt(1_000_000), random.nextInt(1_000_000_000));
            };
            String text = HumanDuration.format(d);
            assertEquals(d, HumanDuration.parse(text), text);
        }
    }
}
