package org.pageserver.adapters.http.pageservice;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.page.SmgrAnswer;
import org.pageserver.domain.page.SmgrRequest;

/**
 * Neon's pagestream messages, inside CopyData, big-endian. Requests: {@code tag:u8} (0 exists,
 * 1 nblocks, 2 get_page, 3 db_size), {@code latest:u8}, {@code lsn:u64}, then the relation
 * ({@code spcnode dbnode relnode:u32, forknum:u8}) and for get_page {@code blkno:u32}, or for
 * db_size {@code dbnode:u32}. Answers: 100 exists {@code u8}, 101 nblocks {@code u32}, 102 the
 * 8192-byte page, 103 an error as a NUL-terminated string, 104 the database size {@code i64}.
 * Bytes after a whole request are ignored, as in Neon.
 */
final class PagestreamCodec {
    static final int EXISTS = 0;
    static final int NBLOCKS = 1;
    static final int GET_PAGE = 2;
    static final int DB_SIZE = 3;

    private PagestreamCodec() {
    }

    /** @throws PagestreamFormatException with Neon's words for a short body or an unknown tag */
    static SmgrRequest decode(ByteBuf body) {
        int tag = u8(body);
        if (tag > DB_SIZE) {
            throw new PagestreamFormatException("unknown smgr message tag: " + tag);
        }
        boolean latest = u8(body) != 0;
        Lsn lsn = Lsn.of(need(body, 8).readLong());
        if (tag == DB_SIZE) {
            return new SmgrRequest.DbSize(latest, lsn, u32(body));
        }
        RelTag rel = new RelTag(u32(body), u32(body), u32(body), u8(body));
        return switch (tag) {
            case EXISTS -> new SmgrRequest.Exists(latest, lsn, rel);
            case NBLOCKS -> new SmgrRequest.Nblocks(latest, lsn, rel);
            default -> new SmgrRequest.GetPage(latest, lsn, rel, u32(body));
        };
    }

    /** Writes the answer as one CopyData message. */
    static void encode(SmgrAnswer answer, ByteBuf out) {
        if (answer instanceof SmgrAnswer.Page page) {
            PgWire.copyDataHeader(out, 1 + Page.SIZE).writeByte(102).writeBytes(page.page());
        } else if (answer instanceof SmgrAnswer.Exists exists) {
            PgWire.copyDataHeader(out, 2).writeByte(100).writeByte(exists.exists() ? 1 : 0);
        } else if (answer instanceof SmgrAnswer.Nblocks nblocks) {
            PgWire.copyDataHeader(out, 5).writeByte(101).writeInt((int) nblocks.nblocks());
        } else if (answer instanceof SmgrAnswer.DbSize size) {
            PgWire.copyDataHeader(out, 9).writeByte(104).writeLong(size.bytes());
        } else {
            byte[] message = ((SmgrAnswer.Error) answer).message().replace('\0', ' ').getBytes(StandardCharsets.UTF_8);
            PgWire.copyDataHeader(out, 1 + message.length + 1).writeByte(103).writeBytes(message).writeByte(0);
        }
    }

    /** The bytes the CopyData message of {@code answer} takes. */
    static int encodedSize(SmgrAnswer answer) {
        if (answer instanceof SmgrAnswer.Page) {
            return 5 + 1 + Page.SIZE;
        }
        return answer instanceof SmgrAnswer.Error error ? 5 + 2 + error.message().length() * 3 : 5 + 9;
    }

    private static ByteBuf need(ByteBuf body, int bytes) {
        if (body.readableBytes() < bytes) {
            throw new PagestreamFormatException("failed to fill whole buffer");
        }
        return body;
    }

    private static int u8(ByteBuf body) {
        return need(body, 1).readUnsignedByte();
    }

    private static long u32(ByteBuf body) {
        return need(body, 4).readUnsignedInt();
    }
}
