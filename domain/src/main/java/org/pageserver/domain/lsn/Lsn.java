package org.pageserver.domain.lsn;

/**
 * A log sequence number: an unsigned 64-bit byte position in a timeline's record stream.
 *
 * <p>Shown as Neon and PostgreSQL show it, two unpadded upper-case hex halves {@code X/Y}
 * ({@code 0/16B5A50}); parsed from either case. Ordering is unsigned, so LSNs above
 * {@code 8000000000000000} still sort after the small ones.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    /** {@code 0/0}: "no LSN", as Neon uses it for an absent remote_consistent_lsn or ancestor_lsn. */
    public static final Lsn INVALID = new Lsn(0);

    /** The largest LSN. */
    public static final Lsn MAX = new Lsn(-1L);

    /**
     * Where a root timeline's history begins. Neon takes it from the end of the initdb WAL; this
     * server has no initdb, so it fixes one round value (16 MiB) below which no data ever lives.
     */
    public static final Lsn INITDB = new Lsn(0x0100_0000L);

    public static Lsn of(long value) {
        return new Lsn(value);
    }

    /**
     * Parses {@code X/Y}: surrounding blanks ignored, exactly two hex parts of 1 to 8 digits each.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LSN is missing");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0 || s.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("invalid LSN '" + text + "': expected the form X/Y, e.g. 0/16B5A50");
        }
        long hi = parseHalf(s.substring(0, slash), text);
        long lo = parseHalf(s.substring(slash + 1), text);
        return new Lsn((hi << 32) | lo);
    }

    /** Parses either {@code X/Y} or an unsigned decimal integer (the spec's integer form). */
    public static Lsn parseLenient(String text) {
        if (text != null && !text.isBlank() && text.trim().chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return new Lsn(Long.parseUnsignedLong(text.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid LSN '" + text + "': above the 64-bit range");
            }
        }
        return parse(text);
    }

    private static long parseHalf(String half, String whole) {
        if (half.isEmpty() || half.length() > 8) {
            throw new IllegalArgumentException("invalid LSN '" + whole + "': each half is 1 to 8 hex digits");
        }
        for (int i = 0; i < half.length(); i++) {
            char c = half.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw new IllegalArgumentException("invalid LSN '" + whole + "': '" + half.charAt(i) + "' is not a hex digit");
            }
        }
        return Long.parseLong(half, 16);
    }

    public boolean isValid() {
        return value != 0;
    }

    /** This LSN plus {@code bytes}, refusing to wrap past {@link #MAX}. */
    public Lsn plus(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative LSN increment " + bytes);
        }
        long sum = value + bytes;
        if (Long.compareUnsigned(sum, value) < 0) {
            throw new ArithmeticException("LSN overflow: " + this + " + " + bytes);
        }
        return new Lsn(sum);
    }

    /** This LSN minus {@code bytes}, or {@code 0/0} where that would go below zero. */
    public Lsn saturatingMinus(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative LSN decrement " + bytes);
        }
        return Long.compareUnsigned(value, bytes) <= 0 ? INVALID : new Lsn(value - bytes);
    }

    /**
     * Bytes from {@code earlier} up to this LSN; {@code earlier} must not be above it.
     *
     * @throws ArithmeticException if the distance does not fit a signed long (above 2^63-1 bytes)
     */
    public long distanceFrom(Lsn earlier) {
        if (compareTo(earlier) < 0) {
            throw new IllegalArgumentException(earlier + " is above " + this);
        }
        long distance = value - earlier.value;
        if (distance < 0) {
            throw new ArithmeticException("LSN distance overflow: " + earlier + " to " + this);
        }
        return distance;
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static Lsn min(Lsn a, Lsn b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }
}
