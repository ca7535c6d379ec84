package org.pageserver.bench;

import java.nio.ByteBuffer;
import java.util.Random;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Ingest bodies of page images made once and reused with fresh LSNs and block numbers written in
 * place, so that the client spends next to nothing per request and the measurement is the server's.
 */
final class ImageBatches {
    private static final int FRAME = WalEncoder.frameSize(new WalRecord.PageImage(Lsn.INITDB, new RelTag(0, 0, 0, 0), 0,
            new byte[Page.SIZE]));
    private static final int LSN_OFFSET = 4;
    private static final int BLKNO_OFFSET = 4 + 8 + 1 + RelTag.ENCODED_SIZE;

    private final byte[] body;
    private final int pages;
    private Lsn lsn;

    ImageBatches(RelTag rel, int pages, long seed, Lsn start) {
        this.pages = pages;
        this.lsn = start;
        Random random = new Random(seed);
        ByteBuffer out = ByteBuffer.allocate(pages * FRAME);
        for (int i = 0; i < pages; i++) {
            byte[] page = new byte[Page.SIZE];
            random.nextBytes(page);
            out.put(WalEncoder.frame(new WalRecord.PageImage(Lsn.INITDB, rel, i, page)));
        }
        this.body = out.array();
    }

    /** The next body: the same pages at the next LSNs, on blocks {@code firstBlock ..}. */
    byte[] next(long firstBlock, int blocks) {
        ByteBuffer b = ByteBuffer.wrap(body);
        for (int i = 0; i < pages; i++) {
            lsn = lsn.plus(FRAME);
            b.putLong(i * FRAME + LSN_OFFSET, lsn.value());
            b.putInt(i * FRAME + BLKNO_OFFSET, (int) ((firstBlock + i) % blocks));
        }
        return body;
    }

    Lsn lastLsn() {
        return lsn;
    }

    int pageBytes() {
        return pages * Page.SIZE;
    }
}
