package org.pageserver.application.port.in;

import java.util.List;
import java.util.function.Supplier;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.page.RelTag;

/**
 * Reads at an LSN (docs/data-plane.md, "Reads"): a null LSN means the latest; a later LSN than has
 * arrived waits for it up to the configured timeout (then UNAVAILABLE); an LSN below the GC cutoff
 * is BAD_REQUEST naming the cutoff.
 */
public interface ReadPagesUseCase {

    /** The 8192-byte page; NOT_FOUND if the relation or the block does not exist at that LSN. */
    byte[] getPage(TenantId tenantId, TimelineId timelineId, RelTag rel, long blkno, Lsn lsn);

    /** The relation's size in blocks; NOT_FOUND if it does not exist at that LSN. */
    long relSize(TenantId tenantId, TimelineId timelineId, RelTag rel, Lsn lsn);

    boolean relExists(TenantId tenantId, TimelineId timelineId, RelTag rel, Lsn lsn);

    /** The sum of the database's relations' sizes in bytes; 0 for a database without relations. */
    long dbSize(TenantId tenantId, TimelineId timelineId, long spcnode, long dbnode, Lsn lsn);

    /** The pages, concatenated in request order; the first failing request fails the whole batch. */
    byte[] getPages(TenantId tenantId, TimelineId timelineId, List<PageRequest> requests);

    /**
     * Runs {@code read} (a call of one of the reads above) on this thread if nothing in it has to
     * wait: not for an LSN to arrive, a layer file to download, open or be let go of by an
     * eviction, nor the disk (a layer file's bytes not in memory).
     * Null if something would have had to; the caller then runs it again where waiting is fine (a
     * read changes nothing, so only the first attempt's time is lost). Errors are thrown as usual.
     * For a thread that serves many connections, such as a network event loop.
     */
    <T> T readNow(Supplier<T> read);
}
