package org.pageserver.adapters.http.json;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pageserver.domain.error.PageserverException;

/**
 * Commit times on the wire, as Neon's humantime reads and writes them: RFC 3339 in UTC only.
 * Inside the server a time is microseconds since 1970-01-01 UTC, the resolution of a COMMIT record.
 */
public final class CommitTimes {
    private static final Pattern RFC3339_UTC =
            Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?Z");
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private CommitTimes() {
    }

    /**
     * Parses {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z}: {@code T} and {@code Z} mandatory, no offsets,
     * no year before 1970 (humantime's parse_rfc3339). Digits beyond the microsecond are dropped.
     *
     * @throws PageserverException BAD_REQUEST {@code Invalid time: "<text>": <why>}
     */
    public static long parseMicros(String text) {
        Matcher m = RFC3339_UTC.matcher(text);
        if (!m.matches()) {
            throw invalid(text, "expected YYYY-MM-DDTHH:MM:SS[.fraction]Z");
        }
        LocalDateTime time;
        try {
            time = LocalDateTime.of(number(m, 1), number(m, 2), number(m, 3), number(m, 4), number(m, 5), number(m, 6));
        } catch (DateTimeException e) {
            throw invalid(text, e.getMessage());
        }
        if (time.getYear() < 1970) {
            throw invalid(text, "times before 1970 are out of range");
        }
        String fraction = m.group(7) == null ? "" : m.group(7);
        String micros = (fraction + "000000").substring(0, 6);
        return time.toEpochSecond(ZoneOffset.UTC) * MICROS_PER_SECOND + Long.parseLong(micros);
    }

    /**
     * {@code 2023-11-07T14:43:29.123456000Z}: nine fraction digits, or none when the time is a whole
     * second, as humantime's format_rfc3339 writes it.
     */
    public static String format(long micros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND), 0, ZoneOffset.UTC);
        long fraction = Math.floorMod(micros, MICROS_PER_SECOND);
        String seconds = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d",
                t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        return fraction == 0 ? seconds + "Z" : seconds + String.format(Locale.ROOT, ".%06d000Z", fraction);
    }

    private static int number(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Neon's message: the input in Rust's debug quoting, which clients may match. */
    private static PageserverException invalid(String text, String why) {
        String quoted = "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return PageserverException.badRequest("Invalid time: " + quoted + ": " + why);
    }
}
