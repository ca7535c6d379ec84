package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.pageserver.application.engine.NonBlocking;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.ServePageStreamUseCase;
import org.pageserver.application.port.out.Metrics.SmgrQuery;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.page.SmgrAnswer;
import org.pageserver.domain.page.SmgrRequest;

/**
 * The page service's reads, with Neon's meaning: {@code latest} reads at the newest LSN if the
 * request's LSN has arrived (else waits for it), otherwise exactly at the request's LSN; a block
 * past the end of a relation is a page of zeros; a free space map or visibility map fork that does
 * not exist has 0 blocks. A stream holds its timeline, so a request costs no lookup.
 */
public final class PageStreamService implements ServePageStreamUseCase {
    private static final Logger LOG = System.getLogger(PageStreamService.class.getName());
    /** Neon's DEFAULTTABLESPACE_OID: DbSize asks about databases of the default tablespace. */
    private static final long DEFAULT_TABLESPACE = 1663;
    private static final int FSM_FORK = 1;
    private static final int VM_FORK = 2;

    private final TenantManager tenants;
    private final Duration waitLsnTimeout;

    public PageStreamService(TenantManager tenants, Duration waitLsnTimeout) {
        this.tenants = tenants;
        this.waitLsnTimeout = waitLsnTimeout;
    }

    @Override
    public PageStream open(TenantId tenantId, TimelineId timelineId) {
        if (tenants.find(tenantId).isEmpty()) {
            throw PageserverException.notFound("Tenant " + tenantId + " not found");
        }
        return new TimelineStream(tenants.activeTimeline(tenantId, timelineId));
    }

    private final class TimelineStream implements PageStream {
        private final TimelineData data;

        TimelineStream(TimelineData data) {
            this.data = data;
        }

        @Override
        public SmgrAnswer answerNow(SmgrRequest request) {
            return serve(request, false);
        }

        @Override
        public SmgrAnswer answer(SmgrRequest request) {
            return serve(request, true);
        }

        @Override
        public boolean stopped() {
            return data.isStopped();
        }

        private SmgrAnswer serve(SmgrRequest request, boolean mayWait) {
            long started = System.nanoTime();
            SmgrAnswer answer;
            try {
                Lsn at = readLsn(request, mayWait);
                if (at == null) {
                    return null;
                }
                answer = mayWait ? read(request, at) : NonBlocking.attempt(() -> read(request, at));
                if (answer == null) {
                    return null;
                }
            } catch (PageserverException e) {
                answer = new SmgrAnswer.Error(e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "page service request " + request + " failed", e);
                answer = new SmgrAnswer.Error(Failures.describe(e));
            }
            data.meters().smgrQuery(query(request), System.nanoTime() - started);
            return answer;
        }

        /** The LSN to read at, or null if it has not arrived and {@code mayWait} is false. */
        private Lsn readLsn(SmgrRequest request, boolean mayWait) {
            Lsn last = data.readLsn(null, waitLsnTimeout);
            Lsn asked = request.lsn();
            Lsn at;
            if (!request.latest() && !asked.isValid()) {
                throw PageserverException.badRequest("invalid LSN(0) in request");
            }
            if (!asked.isAfter(last)) {
                at = request.latest() ? last : asked;
            } else if (!mayWait) {
                return null;
            } else {
                at = data.readLsn(asked, waitLsnTimeout);
            }
            Lsn cutoff = data.latestGcCutoffLsn();
            if (at.isBefore(cutoff)) {
                throw PageserverException.badRequest("tried to request a page version that was garbage collected."
                        + " requested at " + at + " gc cutoff " + cutoff);
            }
            return at;
        }

        private SmgrAnswer read(SmgrRequest request, Lsn at) {
            if (request instanceof SmgrRequest.Exists exists) {
                return new SmgrAnswer.Exists(data.relSize(validRel(exists.rel()), at).exists());
            }
            if (request instanceof SmgrRequest.Nblocks nblocks) {
                RelTag rel = validRel(nblocks.rel());
                RelSize size = data.relSize(rel, at);
                if (!size.exists() && (rel.forknum() == FSM_FORK || rel.forknum() == VM_FORK)) {
                    return new SmgrAnswer.Nblocks(0);
                }
                return new SmgrAnswer.Nblocks(existing(rel, size, at).nblocks());
            }
            if (request instanceof SmgrRequest.GetPage get) {
                RelTag rel = validRel(get.rel());
                byte[] page = data.pageOrZeros(rel, get.blkno(), at);
                if (page == null) {
                    throw missing(rel, at);
                }
                return new SmgrAnswer.Page(page);
            }
            SmgrRequest.DbSize db = (SmgrRequest.DbSize) request;
            return new SmgrAnswer.DbSize(data.dbSizeBytes(DEFAULT_TABLESPACE, db.dbnode(), at));
        }
    }

    private static RelTag validRel(RelTag rel) {
        if (rel.relnode() == 0) {
            throw PageserverException.badRequest("invalid relnode");
        }
        return rel;
    }

    private static RelSize existing(RelTag rel, RelSize size, Lsn at) {
        if (!size.exists()) {
            throw missing(rel, at);
        }
        return size;
    }

    private static PageserverException missing(RelTag rel, Lsn at) {
        return PageserverException.notFound("relation " + rel + " does not exist at LSN " + at);
    }

    private static SmgrQuery query(SmgrRequest request) {
        if (request instanceof SmgrRequest.GetPage) {
            return SmgrQuery.GET_PAGE_AT_LSN;
        }
        if (request instanceof SmgrRequest.Nblocks) {
            return SmgrQuery.GET_REL_SIZE;
        }
        return request instanceof SmgrRequest.Exists ? SmgrQuery.GET_REL_EXISTS : SmgrQuery.GET_DB_SIZE;
    }
}
