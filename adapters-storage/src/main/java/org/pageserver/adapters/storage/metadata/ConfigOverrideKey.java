package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.MappedProperty;

/**
 * Primary key of {@code tenant_config_override}. The column names are spelled out because Micronaut
 * Data would otherwise prefix them with the name of the embedding property ({@code id_...}).
 */
@Embeddable
record ConfigOverrideKey(@MappedProperty("tenant_id") String tenantId, @MappedProperty("field") String field) {
}
