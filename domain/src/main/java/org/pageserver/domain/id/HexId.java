package org.pageserver.domain.id;

import java.security.SecureRandom;

/** The one parser and generator behind {@link TenantId} and {@link TimelineId}: 16 bytes as 32 hex characters. */
final class HexId {
    static final int HEX_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private HexId() {
    }

    /** Validates and lower-cases; the messages follow Neon's hex parser so that clients see familiar words. */
    static String normalize(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing id");
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isAsciiHex(text.charAt(i))) {
                throw new IllegalArgumentException("Invalid character '" + text.charAt(i) + "' at position " + i);
            }
        }
        if (text.length() % 2 != 0) {
            throw new IllegalArgumentException("Odd number of digits");
        }
        if (text.length() != HEX_LENGTH) {
            throw new IllegalArgumentException("Invalid string length: expected 32 hex characters, got " + text.length());
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }

    /** ASCII only: {@link Character#digit} would also take full-width and other non-ASCII digits and letters. */
    static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static String random() {
        byte[] bytes = new byte[HEX_LENGTH / 2];
        RANDOM.nextBytes(bytes);
        char[] out = new char[HEX_LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
