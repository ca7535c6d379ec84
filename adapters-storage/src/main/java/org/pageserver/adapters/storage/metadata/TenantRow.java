package org.pageserver.adapters.storage.metadata;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A row of {@code tenant}. {@code created_at} is left out on purpose: the database fills it on
 * insert and an update through this record never touches it.
 */
@MappedEntity("tenant")
record TenantRow(@Id String tenantId, @Nullable Long generation, boolean deleting, boolean ignored,
                 boolean attaching) {
}
