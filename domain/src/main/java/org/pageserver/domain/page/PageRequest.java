package org.pageserver.domain.page;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;

/**
 * One GetPage request of a batch: a block and the LSN to read it at (null: the latest). Wire form,
 * big-endian: {@code spcnode:u32 dbnode:u32 relnode:u32 forknum:u8 blkno:u32 lsn:u64}, LSN 0 for latest.
 */
public record PageRequest(RelTag rel, long blkno, Lsn lsn) {
    public static final int ENCODED_SIZE = RelTag.ENCODED_SIZE + 4 + 8;
    /**
     * The most requests one batch may hold: its answer, 8 KiB a page, is built whole in memory
     * (32 MiB at most). Without a bound a body at the request size limit would ask for gigabytes.
     */
    public static final int MAX_BATCH = 4096;

    /**
     * @throws PageserverException BAD_REQUEST when the body is not a whole number of requests, or
     *         holds more than {@link #MAX_BATCH}
     */
    public static List<PageRequest> decodeAll(byte[] body) {
        if (body.length == 0 || body.length % ENCODED_SIZE != 0) {
            throw PageserverException.badRequest("a batch of page requests is a non-empty multiple of "
                    + ENCODED_SIZE + " bytes, not " + body.length);
        }
        if (body.length / ENCODED_SIZE > MAX_BATCH) {
            throw PageserverException.badRequest("a batch holds at most " + MAX_BATCH + " page requests, not "
                    + body.length / ENCODED_SIZE);
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        List<PageRequest> requests = new ArrayList<>(body.length / ENCODED_SIZE);
        while (in.hasRemaining()) {
            RelTag rel = new RelTag(in.getInt() & 0xFFFF_FFFFL, in.getInt() & 0xFFFF_FFFFL, in.getInt() & 0xFFFF_FFFFL,
                    in.get() & 0xFF);
            long blkno = in.getInt() & 0xFFFF_FFFFL;
            long lsn = in.getLong();
            requests.add(new PageRequest(rel, blkno, lsn == 0 ? null : Lsn.of(lsn)));
        }
        return requests;
    }

    public static byte[] encodeAll(List<PageRequest> requests) {
        ByteBuffer out = ByteBuffer.allocate(requests.size() * ENCODED_SIZE);
        for (PageRequest r : requests) {
            out.putInt((int) r.rel().spcnode()).putInt((int) r.rel().dbnode()).putInt((int) r.rel().relnode())
                    .put((byte) r.rel().forknum()).putInt((int) r.blkno()).putLong(r.lsn() == null ? 0 : r.lsn().value());
        }
        return out.array();
    }
}
