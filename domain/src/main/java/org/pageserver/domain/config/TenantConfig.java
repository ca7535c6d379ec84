package org.pageserver.domain.config;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A tenant's effective configuration: every setting with a value, its own override where it has
 * one and the server's default otherwise. The typed accessors are what the engine reads.
 */
public final class TenantConfig {
    private final Map<TenantConfigField, Object> values;

    private TenantConfig(EnumMap<TenantConfigField, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Neon's built-in defaults. */
    public static TenantConfig builtInDefaults() {
        EnumMap<TenantConfigField, Object> values = new EnumMap<>(TenantConfigField.class);
        for (TenantConfigField field : TenantConfigField.values()) {
            if (field.builtInDefault() != null) {
                values.put(field, field.builtInDefault());
            }
        }
        return new TenantConfig(values);
    }

    /** These values with the given ones laid over them: server defaults over built-ins, a tenant's overrides over those. */
    public TenantConfig with(TenantConfOverrides overrides) {
        EnumMap<TenantConfigField, Object> merged = new EnumMap<>(TenantConfigField.class);
        merged.putAll(values);
        merged.putAll(overrides.asMap());
        return new TenantConfig(merged);
    }

    /** Every field, in the table's order; a field without a value (min_resident_size_override) maps to null. */
    public Map<TenantConfigField, Object> asMap() {
        EnumMap<TenantConfigField, Object> all = new EnumMap<>(TenantConfigField.class);
        for (TenantConfigField field : TenantConfigField.values()) {
            all.put(field, values.get(field));
        }
        return all;
    }

    public Object get(TenantConfigField field) {
        return values.get(field);
    }

    public long checkpointDistance() {
        return (Long) values.get(TenantConfigField.CHECKPOINT_DISTANCE);
    }

    public Duration checkpointTimeout() {
        return (Duration) values.get(TenantConfigField.CHECKPOINT_TIMEOUT);
    }

    public long compactionTargetSize() {
        return (Long) values.get(TenantConfigField.COMPACTION_TARGET_SIZE);
    }

    public Duration compactionPeriod() {
        return (Duration) values.get(TenantConfigField.COMPACTION_PERIOD);
    }

    public long compactionThreshold() {
        return (Long) values.get(TenantConfigField.COMPACTION_THRESHOLD);
    }

    public long gcHorizon() {
        return (Long) values.get(TenantConfigField.GC_HORIZON);
    }

    public Duration gcPeriod() {
        return (Duration) values.get(TenantConfigField.GC_PERIOD);
    }

    public long imageCreationThreshold() {
        return (Long) values.get(TenantConfigField.IMAGE_CREATION_THRESHOLD);
    }

    public Duration pitrInterval() {
        return (Duration) values.get(TenantConfigField.PITR_INTERVAL);
    }

    public EvictionPolicy evictionPolicy() {
        return (EvictionPolicy) values.get(TenantConfigField.EVICTION_POLICY);
    }

    /** An eviction after a shorter residence counts in pageserver_evictions_with_low_residence_duration. */
    public Duration evictionsLowResidenceDurationMetricThreshold() {
        return (Duration) values.get(TenantConfigField.EVICTIONS_LOW_RESIDENCE_DURATION_METRIC_THRESHOLD);
    }

    /** Null where the tenant's largest layer sets the minimum resident size. */
    public Long minResidentSizeOverride() {
        return (Long) values.get(TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TenantConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
