package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.page.SmgrAnswer;
import org.pageserver.domain.page.SmgrRequest;

/** The page service's reads: a stream of requests on one timeline (Neon's pagestream). */
public interface ServePageStreamUseCase {

    /**
     * Opens a stream on an Active timeline of an Active tenant.
     *
     * @throws org.pageserver.domain.error.PageserverException NOT_FOUND ("Tenant … not found",
     *         "Timeline …/… was not found"), UNAVAILABLE if the tenant or timeline is not Active
     */
    PageStream open(TenantId tenantId, TimelineId timelineId);

    /** Answers the requests of one connection; an error ends only its request. */
    interface PageStream {

        /**
         * The answer if it can be given on this thread without waiting: the LSN has arrived and the
         * data is on local disk. Null otherwise: ask {@link #answer} on a thread that may wait.
         */
        SmgrAnswer answerNow(SmgrRequest request);

        /** The answer, waiting for the LSN to arrive (up to the node's wait-lsn-timeout) or for a download. */
        SmgrAnswer answer(SmgrRequest request);

        /** Whether the timeline stopped (deleted, detached, broken): the connection should end, as in Neon. */
        boolean stopped();
    }
}
