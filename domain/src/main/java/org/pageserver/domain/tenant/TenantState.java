package org.pageserver.domain.tenant;

/**
 * Where a tenant is in its life on this node. Every tenant starts {@link Attaching} (created,
 * attached, loaded or found at start-up), passes {@link Activating} and serves while
 * {@link Active}; {@link Stopping} ends in its removal; {@link Broken} needs an operator.
 */
public sealed interface TenantState {

    /** Reading local state at start-up (kept for Neon's vocabulary; this server spawns every tenant as Attaching). */
    record Loading() implements TenantState {
    }

    /** Its timelines are being found and built. Writes to remote storage may already happen. */
    record Attaching() implements TenantState {
    }

    /** Timelines are built and their background work is starting; {@code from} is the state it came from. */
    record Activating(ActivatingFrom from) implements TenantState {
    }

    /** Serving reads, writes and management calls. */
    record Active() implements TenantState {
    }

    /** Shutting down for deletion, detach or ignore; refuses new work. */
    record Stopping() implements TenantState {
    }

    /** Something failed that retrying will not fix; the reason says what. Deletion is still allowed. */
    record Broken(String reason, String backtrace) implements TenantState {
    }

    /** The two states a tenant can be activated from. */
    enum ActivatingFrom { LOADING, ATTACHING }

    TenantState LOADING = new Loading();
    TenantState ATTACHING = new Attaching();
    TenantState ACTIVE = new Active();
    TenantState STOPPING = new Stopping();

    /** Neon's name for the state, as in the JSON {@code slug}. */
    default String slug() {
        if (this instanceof Loading) {
            return "Loading";
        } else if (this instanceof Attaching) {
            return "Attaching";
        } else if (this instanceof Activating) {
            return "Activating";
        } else if (this instanceof Active) {
            return "Active";
        } else if (this instanceof Stopping) {
            return "Stopping";
        }
        return "Broken";
    }

    default boolean isActive() {
        return this instanceof Active;
    }

    /** Deletion may start from Active or Broken only. */
    default boolean canBeDeleted() {
        return this instanceof Active || this instanceof Broken;
    }

    /** What the control plane may conclude about this node's hold on the tenant. */
    default AttachmentStatus attachmentStatus() {
        if (this instanceof Broken broken) {
            return AttachmentStatus.failed(broken.reason());
        }
        if (this instanceof Active || this instanceof Loading
                || (this instanceof Activating a && a.from() == ActivatingFrom.LOADING)) {
            return AttachmentStatus.ATTACHED;
        }
        return AttachmentStatus.MAYBE;
    }
}
