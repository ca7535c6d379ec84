package org.pageserver.domain.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings a tenant sets for itself; every other setting falls back to the server's default.
 * Immutable; each value has been validated against its field.
 */
public final class TenantConfOverrides {
    private static final TenantConfOverrides NONE = new TenantConfOverrides(new EnumMap<>(TenantConfigField.class));

    private final Map<TenantConfigField, Object> values;

    private TenantConfOverrides(EnumMap<TenantConfigField, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static TenantConfOverrides none() {
        return NONE;
    }

    /** @throws IllegalArgumentException naming the field whose value does not fit */
    public static TenantConfOverrides of(Map<TenantConfigField, ?> values) {
        EnumMap<TenantConfigField, Object> copy = new EnumMap<>(TenantConfigField.class);
        values.forEach((field, value) -> {
            if (value == null) {
                return;
            }
            try {
                copy.put(field, field.validate(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid value for `" + field.key() + "`: " + e.getMessage(), e);
            }
        });
        return new TenantConfOverrides(copy);
    }

    public Optional<Object> get(TenantConfigField field) {
        return Optional.ofNullable(values.get(field));
    }

    /** The set fields, in the table's order. */
    public Map<TenantConfigField, Object> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TenantConfOverrides other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "TenantConfOverrides" + values;
    }
}
