package org.pageserver.domain.timeline;

/** Where a timeline is in its life: Loading, then Active; Stopping ends in its deletion; Broken needs an operator. */
public sealed interface TimelineState {

    /** Being built from its metadata and layers; not yet serving. */
    record Loading() implements TimelineState {
    }

    /** Serving reads and ingest. */
    record Active() implements TimelineState {
    }

    /** Being deleted: refuses new work; disappears when its files are gone. */
    record Stopping() implements TimelineState {
    }

    /** A failure retrying will not fix; deleting it again is allowed. */
    record Broken(String reason, String backtrace) implements TimelineState {
    }

    TimelineState LOADING = new Loading();
    TimelineState ACTIVE = new Active();
    TimelineState STOPPING = new Stopping();

    default String name() {
        if (this instanceof Loading) {
            return "Loading";
        } else if (this instanceof Active) {
            return "Active";
        } else if (this instanceof Stopping) {
            return "Stopping";
        }
        return "Broken";
    }
}
