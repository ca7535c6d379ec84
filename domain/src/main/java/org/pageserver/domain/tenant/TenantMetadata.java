package org.pageserver.domain.tenant;

import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;

/**
 * What this node keeps about a tenant across restarts: its id, its own settings, the generation it
 * was attached with (null where none was given), whether its deletion has begun, so that a
 * deletion cut short by a stop resumes at the next start, whether it is ignored (kept on disk but
 * not loaded, until a load takes it up again), and whether its attach is still recording it from
 * remote storage, so that an attach cut short starts over at the next start. At most one of the
 * three holds.
 */
public record TenantMetadata(TenantId id, TenantConfOverrides overrides, Generation generation, boolean deleting,
                             boolean ignored, boolean attaching) {

    public TenantMetadata {
        if (id == null || overrides == null) {
            throw new IllegalArgumentException("tenant metadata needs an id and overrides");
        }
        if ((deleting ? 1 : 0) + (ignored ? 1 : 0) + (attaching ? 1 : 0) > 1) {
            throw new IllegalArgumentException("tenant " + id + " can be at most one of being deleted, ignored and attaching");
        }
    }

    public static TenantMetadata created(TenantId id, TenantConfOverrides overrides, Generation generation) {
        return new TenantMetadata(id, overrides, generation, false, false, false);
    }

    /** A tenant whose attach has begun: recorded from remote storage until {@link #attached()}. */
    public static TenantMetadata attaching(TenantId id, TenantConfOverrides overrides, Generation generation) {
        return new TenantMetadata(id, overrides, generation, false, false, true);
    }

    /** Its attach has recorded every timeline: it starts as any stored tenant from now on. */
    public TenantMetadata attached() {
        return new TenantMetadata(id, overrides, generation, false, false, false);
    }

    public TenantMetadata withOverrides(TenantConfOverrides newOverrides) {
        return new TenantMetadata(id, newOverrides, generation, deleting, ignored, attaching);
    }

    public TenantMetadata markedDeleting() {
        return new TenantMetadata(id, overrides, generation, true, false, false);
    }

    public TenantMetadata markedIgnored() {
        return new TenantMetadata(id, overrides, generation, false, true, false);
    }

    /** Loaded again after an ignore, in {@code newGeneration}. */
    public TenantMetadata loaded(Generation newGeneration) {
        return new TenantMetadata(id, overrides, newGeneration, false, false, false);
    }
}
