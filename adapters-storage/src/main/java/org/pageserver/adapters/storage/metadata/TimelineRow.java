package org.pageserver.adapters.storage.metadata;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;

/** A row of {@code timeline}. The LSN columns hold the raw bits of {@code Lsn.value()}, see V1's comment. */
@MappedEntity("timeline")
record TimelineRow(
        @EmbeddedId TimelineKey id,
        @Nullable String ancestorTimelineId,
        long ancestorLsn,
        long initdbLsn,
        long lastRecordLsn,
        long prevRecordLsn,
        long diskConsistentLsn,
        long remoteConsistentLsn,
        long latestGcCutoffLsn,
        int pgVersion,
        boolean deleting) {
}
