package org.pageserver.domain.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.TenantId;

class EvictionOrderTest {
    private static final TenantId BIG = TenantId.parse("0000000000000000000000000000000b");
    private static final TenantId SMALL = TenantId.parse("0000000000000000000000000000000c");

    /** {@code count} layers of {@code size} bytes, used at times 1..count (the last the most recent). */
    private static List<EvictionOrder.Candidate<String>> layers(TenantId tenant, int count, long size) {
        List<EvictionOrder.Candidate<String>> layers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            layers.add(new EvictionOrder.Candidate<>(tenant, size, i, tenant.toString().substring(31) + i));
        }
        return layers;
    }

    @Test
    void aboveTheReservesFirstAndTheTenantWithMoreLayersGivesUpMore() {
        List<EvictionOrder.Candidate<String>> all = new ArrayList<>(layers(BIG, 6, 100));
        all.addAll(layers(SMALL, 2, 100));
        List<String> order = EvictionOrder.order(all, Map.of()).stream().map(v -> v.candidate().layer()).toList();
        // Reserves: each tenant's largest layer, 100 bytes, so b6 and c2 (each tenant's most recent)
        // go last. Above them by relative rank: b1 (1/6), b2 (2/6), then c1 and b3 (1/2 each; c1,
        // used longer ago, first), b4 (4/6), b5 (5/6); then the reserves, c2 (used at 2) before b6.
        assertEquals(List.of("b1", "b2", "c1", "b3", "b4", "b5", "c2", "b6"), order);
        assertEquals(3, order.subList(0, 4).stream().filter(l -> l.startsWith("b")).count(),
                "four evictions: three of the big tenant's, one of the small one's");
    }

    @Test
    void theReserveIsTheOverrideWhenThereIsOne() {
        List<EvictionOrder.Victim<String>> victims = EvictionOrder.order(layers(BIG, 4, 100), Map.of(BIG, 250L));
        // Most recent first: b4 (100 kept), b3 (200), b2 (300 > 250: above), b1 (above).
        assertTrue(victims.get(0).aboveReserve());
        assertTrue(victims.get(1).aboveReserve());
        assertFalse(victims.get(2).aboveReserve());
        assertEquals(List.of("b1", "b2", "b3", "b4"), victims.stream().map(v -> v.candidate().layer()).toList());
        assertEquals(List.of(), EvictionOrder.order(List.<EvictionOrder.Candidate<String>>of(), Map.of()));
    }
}
