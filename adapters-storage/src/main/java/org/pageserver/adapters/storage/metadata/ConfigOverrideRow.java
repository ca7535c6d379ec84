package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;

/** A row of {@code tenant_config_override}: one setting a tenant overrides, in its text form. */
@MappedEntity("tenant_config_override")
record ConfigOverrideRow(@EmbeddedId ConfigOverrideKey id, String valueText) {
}
