package org.pageserver.adapters.http.json;

import io.micronaut.http.HttpRequest;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;

/** The query parameters of the page reads (docs/data-plane.md, "Routes"), each a 400 naming it when wrong. */
public final class PageParams {
    private static final long U32_MAX = 0xFFFF_FFFFL;
    /** PostgreSQL's InvalidBlockNumber: a marker, never a block a client may ask for. */
    private static final long INVALID_BLOCK_NUMBER = U32_MAX;

    private PageParams() {
    }

    /** {@code rel=spc/db/rel/fork}, required. */
    public static RelTag rel(HttpRequest<?> request) {
        String text = RequestParams.requiredQuery(request, "rel");
        try {
            return RelTag.parse(text);
        } catch (IllegalArgumentException e) {
            throw RequestParams.cannotParse("rel", e.getMessage());
        }
    }

    /** {@code blkno}, required: a u32 other than InvalidBlockNumber. */
    public static long blkno(HttpRequest<?> request) {
        long blkno = RequestParams.requiredUnsignedQuery(request, "blkno", U32_MAX);
        if (blkno == INVALID_BLOCK_NUMBER) {
            throw RequestParams.cannotParse("blkno", blkno + " is InvalidBlockNumber, not a block");
        }
        return blkno;
    }

    /** A required u32 OID such as {@code spcnode} or {@code dbnode}. */
    public static long oid(HttpRequest<?> request, String name) {
        return RequestParams.requiredUnsignedQuery(request, name, U32_MAX);
    }

    /** {@code lsn=X/Y}, optional: null means the latest. */
    public static Lsn lsn(HttpRequest<?> request) {
        return RequestParams.query(request, "lsn").map(text -> RequestParams.lsn("lsn", text, false)).orElse(null);
    }
}
