package org.pageserver.bootstrap.hostile;

import java.util.List;
import java.util.Random;

/**
 * Values that have broken parsers before: path tricks, ids one character off, LSNs and numbers at
 * and past every limit, and text that is not what it claims to be. Each list is what a fuzz case
 * draws from, beside values derived from the valid ones.
 */
final class HostileValues {
    static final String HUGE = "a".repeat(5000);

    /** Path segments, written as they go on the wire (percent-escapes stay escapes). */
    static final List<String> SEGMENTS = List.of(
            "", ".", "..", "../../etc", "..%2F..%2Fetc", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2F", "%2f..%2f",
            "%00", "a%00b", "%", "%zz", "%FF%FE", "%C3%28", "%E2%80%AE", "%20", "+", "~", "%7E",
            "g".repeat(32), "0".repeat(31), "0".repeat(33), "0".repeat(32) + "%00", "-1", "0", "null", "undefined",
            "tenants", "metadata", "wal", "config", "timeline", "CON", "${jndi:ldap://x/a}", "'%20OR%201=1--",
            "%3Cscript%3E", HUGE, "\u00fc", "%C3%BC", "\u0661\u0662", "a;b", "a,b", "*", "[]", "{}");

    /** LSNs that are malformed, at the limits, or valid but far away. */
    static final List<String> LSNS = List.of(
            "0/", "/0", "/", "G/1", "FFFFFFFFF/0", "0/FFFFFFFFF", "0/0", "1/2/3", "-1/0", "0/-1", "+1/0", " 0/1", "0/1 ",
            "0x1/0", "FFFFFFFF/FFFFFFFF", "ffffffff/fffffffe", "0/1000000", "0/1000001", "0/16B5A50", "1/0",
            "18446744073709551615", "18446744073709551616", "-1", "0", "1", "99999999999999999999999", "1e3", "",
            "0/%00", "0%2F1", "\u0661/0");

    /** Numbers for u8, u32 and u64 parameters: signs, limits, overflows, other notations. */
    static final List<String> NUMBERS = List.of(
            "-1", "0", "1", "255", "256", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "-9223372036854775809", "1e10", "0x10", "1.5", "NaN", "Infinity", "+5", " 1",
            "1 ", "", "\u0661", "00000000000000000000000000000001", "9".repeat(400));

    static final List<String> RELS = List.of(
            "1663/16384/16385/0", "1663/16384/16385/1", "1663/16384/16385/3", "1663/16384/16385/4",
            "1663/16384/16385/255", "1663/16384/16385/256", "4294967295/4294967295/4294967295/0",
            "4294967296/1/1/0", "-1/1/1/0", "1/1/1", "1/1/1/0/0", "a/b/c/d", "", "///", "0/0/0/0", "1663%2F16384%2F1%2F0");

    static final List<String> TIMESTAMPS = List.of(
            "2023-11-07T14:43:29Z", "2023-11-07T14:43:29.123456789Z", "2023-13-45T99:99:99Z", "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "292278994-08-17T07:12:55Z",
            "2023-11-07T14:43:29.1234567890123456789Z", "2023-11-07 14:43:29", "2023-11-07T14:43:29+01:00", "",
            "now", "0");

    static final List<String> BOOLEANS = List.of("true", "false", "TRUE", "1", "0", "yes", "", "null");

    /** Query parameter names the endpoints read, and a few they do not. */
    static final List<String> PARAMS = List.of(
            "rel", "blkno", "lsn", "spcnode", "dbnode", "timestamp", "version", "include-non-incremental-logical-size",
            "inputs_only", "retention_period", "detach_ignored", "x", "", "lsn[]", "%00");

    private HostileValues() {
    }

    static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A value fit for the named query parameter half of the time, any hostile value the other half. */
    static String forParam(Random random, String name) {
        List<String> own = switch (name) {
            case "rel" -> RELS;
            case "lsn" -> LSNS;
            case "timestamp" -> TIMESTAMPS;
            case "include-non-incremental-logical-size", "inputs_only", "detach_ignored" -> BOOLEANS;
            default -> NUMBERS;
        };
        if (random.nextBoolean()) {
            return pick(random, own);
        }
        return pick(random, List.of(pick(random, SEGMENTS), pick(random, LSNS), pick(random, NUMBERS)));
    }
}
