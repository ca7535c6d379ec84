package org.pageserver.domain.page;

/** Bytes to lay over a page at an offset; a delta record is a list of them, applied in order. */
public record Patch(int offset, byte[] bytes) {

    public Patch {
        if (offset < 0 || bytes == null || offset + bytes.length > Page.SIZE) {
            throw new IllegalArgumentException("patch at offset " + offset + " of " + (bytes == null ? 0 : bytes.length)
                    + " bytes reaches outside the " + Page.SIZE + "-byte page");
        }
    }

    void applyTo(byte[] page) {
        System.arraycopy(bytes, 0, page, offset, bytes.length);
    }
}
