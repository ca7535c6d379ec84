package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A row of {@code layer}. The LSN columns hold the raw bits of {@code Lsn.value()}, see V1's
 * comment. {@code last_access} and {@code created_at} are left out: nothing reads or sets them yet,
 * so an insert leaves the first NULL and the second to the database.
 */
@MappedEntity("layer")
record LayerRow(
        @EmbeddedId LayerKey id,
        String keyStart,
        String keyEnd,
        long lsnStart,
        long lsnEnd,
        long fileSize,
        boolean resident) {
}
