package org.pageserver.domain.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every per-tenant setting, under Neon's name, with its type and Neon's built-in default. The API,
 * the database and the server configuration all read and write tenant settings through this one
 * table, so a new setting is one line here.
 */
public enum TenantConfigField {
    CHECKPOINT_DISTANCE("checkpoint_distance", Kind.U64, 268_435_456L),
    CHECKPOINT_TIMEOUT("checkpoint_timeout", Kind.DURATION, Duration.ofMinutes(10)),
    COMPACTION_TARGET_SIZE("compaction_target_size", Kind.U64, 134_217_728L),
    COMPACTION_PERIOD("compaction_period", Kind.DURATION, Duration.ofSeconds(20)),
    COMPACTION_THRESHOLD("compaction_threshold", Kind.U64, 10L),
    GC_HORIZON("gc_horizon", Kind.U64, 67_108_864L),
    GC_PERIOD("gc_period", Kind.DURATION, Duration.ofHours(1)),
    IMAGE_CREATION_THRESHOLD("image_creation_threshold", Kind.U64, 3L),
    PITR_INTERVAL("pitr_interval", Kind.DURATION, Duration.ofDays(7)),
    WALRECEIVER_CONNECT_TIMEOUT("walreceiver_connect_timeout", Kind.DURATION, Duration.ofSeconds(10)),
    LAGGING_WAL_TIMEOUT("lagging_wal_timeout", Kind.DURATION, Duration.ofSeconds(10)),
    MAX_LSN_WAL_LAG("max_lsn_wal_lag", Kind.NON_ZERO_U64, 10_485_760L),
    TRACE_READ_REQUESTS("trace_read_requests", Kind.BOOL, false),
    EVICTION_POLICY("eviction_policy", Kind.EVICTION_POLICY, EvictionPolicy.NO_EVICTION),
    MIN_RESIDENT_SIZE_OVERRIDE("min_resident_size_override", Kind.U64, null),
    EVICTIONS_LOW_RESIDENCE_DURATION_METRIC_THRESHOLD("evictions_low_residence_duration_metric_threshold",
            Kind.DURATION, Duration.ofDays(1)),
    GC_FEEDBACK("gc_feedback", Kind.BOOL, false);

    /** The value types a setting can have; each maps to one Java type. */
    public enum Kind {
        /** {@link Long}, at least 0 (Neon's u64/usize; values above 2^63-1 are refused). */
        U64,
        /** {@link Long}, at least 1. */
        NON_ZERO_U64,
        /** {@link Duration}, written in humantime form. */
        DURATION,
        /** {@link Boolean}. */
        BOOL,
        /** {@link EvictionPolicy}. */
        EVICTION_POLICY
    }

    private final String key;
    private final Kind kind;
    private final Object builtInDefault;

    TenantConfigField(String key, Kind kind, Object builtInDefault) {
        this.key = key;
        this.kind = kind;
        this.builtInDefault = builtInDefault;
    }

    /** The setting's name in JSON, in the database and in configuration files. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** Neon's default, or {@code null} where the setting has none (min_resident_size_override). */
    public Object builtInDefault() {
        return builtInDefault;
    }

    public static Optional<TenantConfigField> byKey(String key) {
        return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
    }

    /**
     * Checks a typed value against this setting's kind and range.
     *
     * @return the value, for chaining
     * @throws IllegalArgumentException saying what is wrong, without the field name
     */
    public Object validate(Object value) {
        switch (kind) {
            case U64 -> requireLong(value, 0);
            case NON_ZERO_U64 -> requireLong(value, 1);
            case DURATION -> {
                if (!(value instanceof Duration d) || d.isNegative()) {
                    throw new IllegalArgumentException("expected a duration such as \"10m\"");
                }
            }
            case BOOL -> {
                if (!(value instanceof Boolean)) {
                    throw new IllegalArgumentException("expected true or false");
                }
            }
            case EVICTION_POLICY -> {
                if (!(value instanceof EvictionPolicy)) {
                    throw new IllegalArgumentException("expected an eviction policy");
                }
            }
        }
        return value;
    }

    private static void requireLong(Object value, long min) {
        if (!(value instanceof Long l) || l < min) {
            throw new IllegalArgumentException(min == 0 ? "expected a non-negative integer" : "expected a positive integer");
        }
    }

    /** The canonical text of a value: decimal, humantime, {@code true}/{@code false}, or {@link EvictionPolicy#toText()}. */
    public String toText(Object value) {
        validate(value);
        return switch (kind) {
            case U64, NON_ZERO_U64, BOOL -> value.toString();
            case DURATION -> HumanDuration.format((Duration) value);
            case EVICTION_POLICY -> ((EvictionPolicy) value).toText();
        };
    }

    /** Parses the text form ({@link #toText}); used for stored values and server configuration. */
    public Object parseText(String text) {
        String s = text.trim();
        Object value = switch (kind) {
            case U64, NON_ZERO_U64 -> {
                try {
                    yield Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected an integer, got \"" + text + "\"");
                }
            }
            case DURATION -> HumanDuration.parse(s);
            case BOOL -> switch (s) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("expected true or false, got \"" + text + "\"");
            };
            case EVICTION_POLICY -> EvictionPolicy.parseText(s);
        };
        return validate(value);
    }
}
