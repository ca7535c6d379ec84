package org.pageserver.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TenantConfigFieldTest {

    /**
     * Neon's tenant settings in Neon's order, each with its built-in default as Neon renders it
     * (the table of per-tenant settings in README.md).
     */
    private static final Map<String, String> NEON_DEFAULTS = new LinkedHashMap<>();

    static {
        NEON_DEFAULTS.put("checkpoint_distance", "268435456");
        NEON_DEFAULTS.put("checkpoint_timeout", "10m");
        NEON_DEFAULTS.put("compaction_target_size", "134217728");
        NEON_DEFAULTS.put("compaction_period", "20s");
        NEON_DEFAULTS.put("compaction_threshold", "10");
        NEON_DEFAULTS.put("gc_horizon", "67108864");
        NEON_DEFAULTS.put("gc_period", "1h");
        NEON_DEFAULTS.put("image_creation_threshold", "3");
        NEON_DEFAULTS.put("pitr_interval", "7days");
        NEON_DEFAULTS.put("walreceiver_connect_timeout", "10s");
        NEON_DEFAULTS.put("lagging_wal_timeout", "10s");
        NEON_DEFAULTS.put("max_lsn_wal_lag", "10485760");
        NEON_DEFAULTS.put("trace_read_requests", "false");
        NEON_DEFAULTS.put("eviction_policy", "NoEviction");
        NEON_DEFAULTS.put("min_resident_size_override", null);
        NEON_DEFAULTS.put("evictions_low_residence_duration_metric_threshold", "1day");
        NEON_DEFAULTS.put("gc_feedback", "false");
    }

    @Test
    void fieldsAndDefaultsMatchNeonsTableInOrder() {
        assertEquals(NEON_DEFAULTS.keySet().stream().toList(),
                Arrays.stream(TenantConfigField.values()).map(TenantConfigField::key).toList());
        for (TenantConfigField field : TenantConfigField.values()) {
            Object builtIn = field.builtInDefault();
            String rendered = builtIn == null ? null : field.toText(builtIn);
            assertEquals(NEON_DEFAULTS.get(field.key()), rendered, field.key());
        }
    }

    @Test
    void kindsMatchNeonsJsonTypes() {
        assertEquals(TenantConfigField.Kind.NON_ZERO_U64, TenantConfigField.MAX_LSN_WAL_LAG.kind());
        assertEquals(TenantConfigField.Kind.BOOL, TenantConfigField.GC_FEEDBACK.kind());
        assertEquals(TenantConfigField.Kind.BOOL, TenantConfigField.TRACE_READ_REQUESTS.kind());
        assertEquals(TenantConfigField.Kind.EVICTION_POLICY, TenantConfigField.EVICTION_POLICY.kind());
        assertEquals(TenantConfigField.Kind.U64, TenantConfigField.COMPACTION_THRESHOLD.kind());
        assertEquals(TenantConfigField.Kind.U64, TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE.kind());
        for (String duration : new String[] {"checkpoint_timeout", "compaction_period", "gc_period", "pitr_interval",
                "walreceiver_connect_timeout", "lagging_wal_timeout",
                "evictions_low_residence_duration_metric_threshold"}) {
            assertEquals(TenantConfigField.Kind.DURATION, TenantConfigField.byKey(duration).orElseThrow().kind());
        }
    }

    @Test
    void byKeyFindsEveryFieldAndNothingElse() {
        for (TenantConfigField field : TenantConfigField.values()) {
            assertEquals(Optional.of(field), TenantConfigField.byKey(field.key()));
        }
        assertEquals(Optional.empty(), TenantConfigField.byKey("GC_PERIOD"));
        assertEquals(Optional.empty(), TenantConfigField.byKey("unknown"));
    }

    @ParameterizedTest
    @EnumSource(TenantConfigField.class)
    void everyKindRoundTripsThroughText(TenantConfigField field) {
        Object sample = switch (field.kind()) {
            case U64 -> 12_345L;
            case NON_ZERO_U64 -> 1L;
            case DURATION -> Duration.ofSeconds(80);
            case BOOL -> true;
            case EVICTION_POLICY -> new EvictionPolicy.LayerAccessThreshold(Duration.ofHours(1), Duration.ofDays(7));
        };
        String text = field.toText(sample);
        assertEquals(sample, field.parseText(text), text);
        assertEquals(sample, field.parseText("  " + text + "  "), "surrounding blanks are ignored");
    }

    @Test
    void textFormsAreCanonical() {
        assertEquals("1m 20s", TenantConfigField.GC_PERIOD.toText(Duration.ofSeconds(80)));
        assertEquals("0s", TenantConfigField.COMPACTION_PERIOD.toText(Duration.ZERO));
        assertEquals("true", TenantConfigField.GC_FEEDBACK.toText(true));
        assertEquals("0", TenantConfigField.GC_HORIZON.toText(0L));
        assertEquals(Long.toString(Long.MAX_VALUE), TenantConfigField.GC_HORIZON.toText(Long.MAX_VALUE));
        assertEquals(Duration.ofHours(2).plusMinutes(13), TenantConfigField.PITR_INTERVAL.parseText("2h 13m"));
    }

    @Test
    void validateRefusesNegativeNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TenantConfigField.GC_HORIZON.validate(-1L));
        assertEquals("expected a non-negative integer", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_HORIZON.parseText("-1"));
        assertEquals(0L, TenantConfigField.GC_HORIZON.validate(0L));
    }

    @Test
    void validateRefusesZeroForNonZeroU64() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TenantConfigField.MAX_LSN_WAL_LAG.validate(0L));
        assertEquals("expected a positive integer", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.MAX_LSN_WAL_LAG.parseText("0"));
        assertEquals(1L, TenantConfigField.MAX_LSN_WAL_LAG.validate(1L));
    }

    @Test
    void validateRefusesTheWrongJavaType() {
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_HORIZON.validate(5));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_HORIZON.validate("5"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_PERIOD.validate("1h"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_PERIOD.validate(3600L));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_FEEDBACK.validate("true"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.EVICTION_POLICY.validate("NoEviction"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_HORIZON.validate(null));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_HORIZON.toText(5));
    }

    @Test
    void validateRefusesANegativeDuration() {
        assertThrows(IllegalArgumentException.class,
                () -> TenantConfigField.GC_PERIOD.validate(Duration.ofSeconds(-1)));
        assertEquals(Duration.ZERO, TenantConfigField.GC_PERIOD.validate(Duration.ZERO));
    }

    @Test
    void parseTextRefusesMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_HORIZON.parseText("1.5"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_HORIZON.parseText("18446744073709551615"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_PERIOD.parseText("3600"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_FEEDBACK.parseText("True"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.GC_FEEDBACK.parseText("1"));
        assertThrows(IllegalArgumentException.class, () -> TenantConfigField.EVICTION_POLICY.parseText("x"));
    }

    @Test
    void minResidentSizeOverrideHasNoDefault() {
        assertNull(TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE.builtInDefault());
        for (TenantConfigField field : TenantConfigField.values()) {
            if (field != TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE) {
                assertEquals(field.builtInDefault(), field.validate(field.builtInDefault()), field.key());
                assertTrue(field.builtInDefault() != null, field.key());
            }
        }
    }
}
