package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.MappedProperty;

/** Primary key of {@code layer}; column names spelled out as in {@link ConfigOverrideKey}. */
@Embeddable
record LayerKey(
        @MappedProperty("tenant_id") String tenantId,
        @MappedProperty("timeline_id") String timelineId,
        @MappedProperty("file_name") String fileName) {
}
