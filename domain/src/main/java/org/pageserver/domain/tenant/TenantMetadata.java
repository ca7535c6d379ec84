package org.pageserver.domain.tenant;

import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;

/**
 * What this node keeps about a tenant across restarts: its id, its own settings, the generation it
 * was attached with (null where none was given) and whether its deletion has begun, so that a
 * deletion cut short by a stop resumes at the next start.
 */
public record TenantMetadata(TenantId id, TenantConfOverrides overrides, Generation generation, boolean deleting) {

    public TenantMetadata {
        if (id == null || overrides == null) {
            throw new IllegalArgumentException("tenant metadata needs an id and overrides");
        }
    }

    public static TenantMetadata created(TenantId id, TenantConfOverrides overrides, Generation generation) {
        return new TenantMetadata(id, overrides, generation, false);
    }

    public TenantMetadata withOverrides(TenantConfOverrides newOverrides) {
        return new TenantMetadata(id, newOverrides, generation, deleting);
    }

    public TenantMetadata markedDeleting() {
        return new TenantMetadata(id, overrides, generation, true);
    }
}
