package org.pageserver.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantConfigTest {

    @Test
    void builtInDefaultsHoldEveryFieldsDefault() {
        TenantConfig defaults = TenantConfig.builtInDefaults();
        for (TenantConfigField field : TenantConfigField.values()) {
            assertEquals(field.builtInDefault(), defaults.get(field), field.key());
        }
        assertEquals(268_435_456L, defaults.checkpointDistance());
        assertEquals(Duration.ofMinutes(10), defaults.checkpointTimeout());
        assertEquals(134_217_728L, defaults.compactionTargetSize());
        assertEquals(Duration.ofSeconds(20), defaults.compactionPeriod());
        assertEquals(10L, defaults.compactionThreshold());
        assertEquals(67_108_864L, defaults.gcHorizon());
        assertEquals(Duration.ofHours(1), defaults.gcPeriod());
        assertEquals(3L, defaults.imageCreationThreshold());
        assertEquals(Duration.ofDays(7), defaults.pitrInterval());
        assertEquals(EvictionPolicy.NO_EVICTION, defaults.evictionPolicy());
        assertNull(defaults.minResidentSizeOverride());
    }

    @Test
    void asMapHasEveryFieldInTableOrder() {
        Map<TenantConfigField, Object> all = TenantConfig.builtInDefaults().asMap();
        assertEquals(List.of(TenantConfigField.values()), List.copyOf(all.keySet()));
        assertTrue(all.containsKey(TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE));
        assertNull(all.get(TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE));
    }

    @Test
    void overrideWinsThenServerDefaultThenBuiltIn() {
        TenantConfig serverDefaults = TenantConfig.builtInDefaults().with(TenantConfOverrides.of(Map.of(
                TenantConfigField.GC_PERIOD, Duration.ofMinutes(30),
                TenantConfigField.GC_HORIZON, 1_000L)));
        TenantConfig effective = serverDefaults.with(TenantConfOverrides.of(Map.of(
                TenantConfigField.GC_HORIZON, 5L,
                TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE, 42L)));

        assertEquals(5L, effective.gcHorizon(), "the tenant's override beats the server default");
        assertEquals(Duration.ofMinutes(30), effective.gcPeriod(), "the server default beats the built-in");
        assertEquals(Duration.ofDays(7), effective.pitrInterval(), "the built-in fills the rest");
        assertEquals(42L, effective.minResidentSizeOverride(), "a field without a built-in can be set");
        assertEquals(TenantConfigField.values().length, effective.asMap().size());
    }

    @Test
    void withNoOverridesChangesNothing() {
        TenantConfig defaults = TenantConfig.builtInDefaults();
        assertEquals(defaults, defaults.with(TenantConfOverrides.none()));
        assertEquals(defaults.hashCode(), defaults.with(TenantConfOverrides.none()).hashCode());
    }

    @Test
    void withLeavesTheOriginalUntouched() {
        TenantConfig defaults = TenantConfig.builtInDefaults();
        defaults.with(TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 5L)));
        assertEquals(67_108_864L, defaults.gcHorizon());
    }
}
