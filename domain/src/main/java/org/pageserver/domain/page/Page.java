package org.pageserver.domain.page;

/** A PostgreSQL page: exactly 8192 bytes. */
public final class Page {
    public static final int SIZE = 8192;

    private Page() {
    }

    /** A fresh all-zero page: what a block reads as before anything was written to it. */
    public static byte[] zero() {
        return new byte[SIZE];
    }
}
