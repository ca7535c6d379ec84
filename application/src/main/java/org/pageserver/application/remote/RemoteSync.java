package org.pageserver.application.remote;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.id.Generation;

/**
 * What every timeline's {@link RemoteTimelineClient} shares on a node: the remote storage, the
 * local layer files it uploads from, a small scheduler that runs the clients' rounds (and their
 * backoffs), and a bounded pool for layer uploads, so that a flush of many timelines at once does
 * not open more connections than the node allows.
 */
public record RemoteSync(RemoteStorage storage, LayerStore layerStore, ScheduledExecutorService runner,
                         ExecutorService uploads) {

    /** A client for the timeline, following its layer changes from now on; {@link RemoteTimelineClient#wake()} starts it. */
    public RemoteTimelineClient clientFor(TimelineData timeline, Generation generation) {
        return new RemoteTimelineClient(this, timeline, generation);
    }
}
