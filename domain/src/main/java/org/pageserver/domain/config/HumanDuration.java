package org.pageserver.domain.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durations in the "humantime" text form Neon's configuration uses: {@code 1h}, {@code 10 m},
 * {@code 2h 13m}, {@code 7days}. Parsing accepts every unit Neon accepts; rendering gives Neon's
 * canonical form ({@code 80s} renders as {@code 1m 20s}, a week as {@code 7days}), so a value
 * read back from the API looks as Neon would show it.
 */
public final class HumanDuration {
    private static final long SECONDS_PER_YEAR = 31_557_600L;   // 365.25 days
    private static final long SECONDS_PER_MONTH = 2_630_016L;   // 30.44 days

    private HumanDuration() {
    }

    /** @throws IllegalArgumentException with a message saying what is wrong */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("duration is missing");
        }
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("value was empty");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && isAsciiDigit(s.charAt(i))) {
                i++;
            }
            if (i == numberStart) {
                throw new IllegalArgumentException("expected number at " + numberStart + " in \"" + text + "\"");
            }
            long number;
            try {
                number = Long.parseLong(s.substring(numberStart, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("number is too large in \"" + text + "\"");
            }
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && !isAsciiDigit(s.charAt(i))) {
                i++;
            }
            if (i == unitStart) {
                throw new IllegalArgumentException("time unit needed, for example " + number + "sec or " + number + "ms");
            }
            total = add(total, number, s.substring(unitStart, i), text);
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
        return total;
    }

    /** ASCII only, as humantime: Character.isDigit and Long.parseLong also take non-ASCII digits. */
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static Duration add(Duration total, long n, String unit, String text) {
        try {
            Duration part = switch (unit) {
                case "nanos", "nsec", "ns" -> Duration.ofNanos(n);
                case "usec", "us", "µs" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
                case "millis", "msec", "ms" -> Duration.ofMillis(n);
                case "seconds", "second", "secs", "sec", "s" -> Duration.ofSeconds(n);
                case "minutes", "minute", "min", "mins", "m" -> Duration.ofSeconds(Math.multiplyExact(n, 60L));
                case "hours", "hour", "hr", "hrs", "h" -> Duration.ofSeconds(Math.multiplyExact(n, 3_600L));
                case "days", "day", "d" -> Duration.ofSeconds(Math.multiplyExact(n, 86_400L));
                case "weeks", "week", "w" -> Duration.ofSeconds(Math.multiplyExact(n, 7 * 86_400L));
                case "months", "month", "M" -> Duration.ofSeconds(Math.multiplyExact(n, SECONDS_PER_MONTH));
                case "years", "year", "y" -> Duration.ofSeconds(Math.multiplyExact(n, SECONDS_PER_YEAR));
                default -> throw new IllegalArgumentException("unknown time unit \"" + unit + "\", supported units: "
                        + "ns, us, ms, sec, min, hours, days, weeks, months, years (and few variations)");
            };
            return total.plus(part);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration is too large: \"" + text + "\"");
        }
    }

    /** Neon's canonical rendering: descending units, zero parts left out, {@code 0s} for zero. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
        long secs = duration.getSeconds();
        int nanos = duration.getNano();
        if (secs == 0 && nanos == 0) {
            return "0s";
        }
        long years = secs / SECONDS_PER_YEAR;
        long yearRest = secs % SECONDS_PER_YEAR;
        long months = yearRest / SECONDS_PER_MONTH;
        long monthRest = yearRest % SECONDS_PER_MONTH;
        long days = monthRest / 86_400;
        long daySecs = monthRest % 86_400;
        List<String> parts = new ArrayList<>();
        plural(parts, years, "year");
        plural(parts, months, "month");
        plural(parts, days, "day");
        item(parts, daySecs / 3600, "h");
        item(parts, daySecs % 3600 / 60, "m");
        item(parts, daySecs % 60, "s");
        item(parts, nanos / 1_000_000, "ms");
        item(parts, nanos / 1_000 % 1_000, "us");
        item(parts, nanos % 1_000, "ns");
        return String.join(" ", parts);
    }

    private static void plural(List<String> parts, long n, String unit) {
        if (n > 0) {
            parts.add(n + unit + (n > 1 ? "s" : ""));
        }
    }

    private static void item(List<String> parts, long n, String unit) {
        if (n > 0) {
            parts.add(n + unit);
        }
    }
}
