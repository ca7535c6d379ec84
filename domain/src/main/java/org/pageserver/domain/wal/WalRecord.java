package org.pageserver.domain.wal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;

/** One ingested record, as decoded from a frame of the data plane's binary format. */
public sealed interface WalRecord {

    Lsn lsn();

    /**
     * Type 1: a whole page. A decoded one is a view of the body it came from, so that ingest can
     * copy its page once, from the body straight to where it is kept ({@link #copyPageTo}); the
     * page becomes an array of its own only when {@link #page()} is asked for.
     */
    final class PageImage implements WalRecord {
        private final Lsn lsn;
        private final RelTag rel;
        private final long blkno;
        private final byte[] source;
        private final int offset;
        private final boolean view;

        public PageImage(Lsn lsn, RelTag rel, long blkno, byte[] page) {
            this(lsn, rel, blkno, page, 0, false);
        }

        private PageImage(Lsn lsn, RelTag rel, long blkno, byte[] source, int offset, boolean view) {
            this.lsn = lsn;
            this.rel = rel;
            this.blkno = blkno;
            this.source = source;
            this.offset = offset;
            this.view = view;
        }

        /** The image whose page is {@code body[offset, offset + Page.SIZE)}, not copied. */
        static PageImage viewOf(Lsn lsn, RelTag rel, long blkno, byte[] body, int offset) {
            return new PageImage(lsn, rel, blkno, body, offset, true);
        }

        @Override
        public Lsn lsn() {
            return lsn;
        }

        public RelTag rel() {
            return rel;
        }

        public long blkno() {
            return blkno;
        }

        /** The page: the array it was made with, or for a decoded image a copy out of the body. */
        public byte[] page() {
            return view ? Arrays.copyOfRange(source, offset, offset + Page.SIZE) : source;
        }

        /** Puts the page's {@link Page#SIZE} bytes into {@code out}. */
        public void copyPageTo(ByteBuffer out) {
            if (!view && source.length != Page.SIZE) {
                throw new IllegalArgumentException("a page image is " + Page.SIZE + " bytes, not " + source.length);
            }
            out.put(source, offset, Page.SIZE);
        }

        @Override
        public String toString() {
            return "PageImage[lsn=" + lsn + ", rel=" + rel + ", blkno=" + blkno + "]";
        }
    }

    /** Type 2: patches onto the page as of the previous LSN. */
    record PageDelta(Lsn lsn, RelTag rel, long blkno, List<Patch> patches) implements WalRecord {
    }

    /** Type 3: the relation truncated or extended to {@code nblocks} (created if absent). */
    record RelSize(Lsn lsn, RelTag rel, long nblocks) implements WalRecord {
    }

    /** Type 4: the relation no longer exists. */
    record RelDrop(Lsn lsn, RelTag rel) implements WalRecord {
    }

    /** Type 5: a transaction committed at this time (microseconds since 1970-01-01 UTC). */
    record Commit(Lsn lsn, long timestampMicros) implements WalRecord {
    }
}
