package org.pageserver.domain.page;

/**
 * A relation fork: tablespace, database and relation OIDs (u32 each) and the fork number (u8).
 * Text form {@code spc/db/rel/fork}, e.g. {@code 1663/16384/16385/0}.
 */
public record RelTag(long spcnode, long dbnode, long relnode, int forknum) {
    /** Bytes on the wire: three u32 and a u8. */
    public static final int ENCODED_SIZE = 13;

    public RelTag {
        requireU32(spcnode, "spcnode");
        requireU32(dbnode, "dbnode");
        requireU32(relnode, "relnode");
        if (forknum < 0 || forknum > 0xFF) {
            throw new IllegalArgumentException("forknum " + forknum + " is outside the u8 range");
        }
    }

    static void requireU32(long value, String name) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " " + value + " is outside the u32 range");
        }
    }

    /** Parses {@code spc/db/rel/fork}; each part a decimal number in its range. */
    public static RelTag parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing relation");
        }
        String[] parts = text.split("/", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid relation '" + text + "': expected spc/db/rel/fork, e.g. 1663/16384/16385/0");
        }
        try {
            long fork = parseUnsigned(parts[3]);
            if (fork > 0xFF) {
                // Checked before the narrowing cast, which would turn 4294967296 into fork 0.
                throw new IllegalArgumentException("forknum " + fork + " is outside the u8 range");
            }
            return new RelTag(parseUnsigned(parts[0]), parseUnsigned(parts[1]), parseUnsigned(parts[2]), (int) fork);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid relation '" + text + "': " + e.getMessage());
        }
    }

    private static long parseUnsigned(String part) {
        if (part.isEmpty() || part.length() > 10 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + part + "' is not an unsigned number");
        }
        return Long.parseLong(part);
    }

    @Override
    public String toString() {
        return spcnode + "/" + dbnode + "/" + relnode + "/" + forknum;
    }
}
