package org.pageserver.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantConfOverridesTest {

    @Test
    void noneIsEmpty() {
        assertTrue(TenantConfOverrides.none().isEmpty());
        assertTrue(TenantConfOverrides.none().asMap().isEmpty());
        assertEquals(Optional.empty(), TenantConfOverrides.none().get(TenantConfigField.GC_PERIOD));
        assertEquals(TenantConfOverrides.none(), TenantConfOverrides.of(Map.of()));
    }

    @Test
    void keepsTheGivenValues() {
        TenantConfOverrides overrides = TenantConfOverrides.of(Map.of(
                TenantConfigField.GC_PERIOD, Duration.ofMinutes(5),
                TenantConfigField.GC_HORIZON, 1024L));
        assertFalse(overrides.isEmpty());
        assertEquals(Optional.of(Duration.ofMinutes(5)), overrides.get(TenantConfigField.GC_PERIOD));
        assertEquals(Optional.of(1024L), overrides.get(TenantConfigField.GC_HORIZON));
        assertEquals(Optional.empty(), overrides.get(TenantConfigField.CHECKPOINT_DISTANCE));
    }

    @Test
    void nullValuesMeanNotSet() {
        Map<TenantConfigField, Object> values = new HashMap<>();
        values.put(TenantConfigField.MIN_RESIDENT_SIZE_OVERRIDE, null);
        values.put(TenantConfigField.GC_HORIZON, 7L);
        TenantConfOverrides overrides = TenantConfOverrides.of(values);
        assertEquals(Map.of(TenantConfigField.GC_HORIZON, 7L), overrides.asMap());
    }

    @Test
    void asMapIsInTableOrderAndReadOnly() {
        Map<TenantConfigField, Object> reversed = new LinkedHashMap<>();
        reversed.put(TenantConfigField.GC_FEEDBACK, true);
        reversed.put(TenantConfigField.PITR_INTERVAL, Duration.ZERO);
        reversed.put(TenantConfigField.CHECKPOINT_DISTANCE, 1L);
        TenantConfOverrides overrides = TenantConfOverrides.of(reversed);
        assertEquals(List.of(TenantConfigField.CHECKPOINT_DISTANCE, TenantConfigField.PITR_INTERVAL,
                TenantConfigField.GC_FEEDBACK), List.copyOf(overrides.asMap().keySet()));
        assertThrows(UnsupportedOperationException.class,
                () -> overrides.asMap().put(TenantConfigField.GC_HORIZON, 1L));
    }

    @Test
    void isACopyOfTheGivenMap() {
        Map<TenantConfigField, Object> values = new HashMap<>(Map.of(TenantConfigField.GC_HORIZON, 1L));
        TenantConfOverrides overrides = TenantConfOverrides.of(values);
        values.put(TenantConfigField.GC_HORIZON, 2L);
        assertEquals(Optional.of(1L), overrides.get(TenantConfigField.GC_HORIZON));
    }

    @Test
    void rejectsABadValueNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TenantConfOverrides.of(Map.of(TenantConfigField.MAX_LSN_WAL_LAG, 0L)));
        assertTrue(e.getMessage().contains("`max_lsn_wal_lag`"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TenantConfOverrides.of(Map.of(TenantConfigField.GC_PERIOD, "1h")));
        assertTrue(e.getMessage().contains("`gc_period`"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TenantConfOverrides.of(Map.of(TenantConfigField.CHECKPOINT_DISTANCE, -5L)));
        assertTrue(e.getMessage().contains("`checkpoint_distance`"), e.getMessage());
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
    }

    @Test
    void equalityIsByValue() {
        TenantConfOverrides a = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1L));
        TenantConfOverrides b = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1L));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 2L)));
        assertNotEquals(a, TenantConfOverrides.none());
    }
}
