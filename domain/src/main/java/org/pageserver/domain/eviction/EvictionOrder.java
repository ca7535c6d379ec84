package org.pageserver.domain.eviction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.pageserver.domain.id.TenantId;

/**
 * The order in which disk-usage eviction takes resident layer files, as Neon's: each tenant keeps
 * a reserve of its most recently used layers (its min_resident_size: min_resident_size_override,
 * else the size of its largest layer), and every layer above a reserve goes before any within one.
 * Within each of the two groups layers go by relative recency: a tenant's layers are ranked from
 * 1 (its most recently used) down to 1/n (its least), and the lowest ranks go first, so that a
 * tenant with many layers gives up more of them than a tenant with few.
 */
public final class EvictionOrder {

    private EvictionOrder() {
    }

    /** A resident layer that may go: its tenant, its size, since when no read used it, and the caller's handle. */
    public record Candidate<T>(TenantId tenant, long size, long idleSinceMillis, T layer) {
    }

    /** A candidate in eviction order; {@code aboveReserve} false once the tenants' reserves are reached. */
    public record Victim<T>(Candidate<T> candidate, boolean aboveReserve, double relativeRank) {
    }

    /**
     * @param reserves each tenant's reserve in bytes; a tenant missing here reserves its largest layer
     */
    public static <T> List<Victim<T>> order(List<Candidate<T>> candidates, Map<TenantId, Long> reserves) {
        Map<TenantId, List<Candidate<T>>> byTenant = candidates.stream()
                .collect(Collectors.groupingBy(Candidate::tenant));
        List<Victim<T>> victims = new ArrayList<>();
        for (Map.Entry<TenantId, List<Candidate<T>>> tenant : byTenant.entrySet()) {
            List<Candidate<T>> layers = new ArrayList<>(tenant.getValue());
            layers.sort(Comparator.comparingLong((Candidate<T> c) -> c.idleSinceMillis()).reversed());
            long reserve = reserves.getOrDefault(tenant.getKey(),
                    layers.stream().mapToLong(Candidate::size).max().orElse(0));
            long kept = 0;
            int n = layers.size();
            for (int i = 0; i < n; i++) {
                Candidate<T> layer = layers.get(i);
                kept += layer.size();
                victims.add(new Victim<>(layer, kept > reserve, (double) (n - i) / n));
            }
        }
        victims.sort(Comparator.comparing((Function<Victim<T>, Boolean>) v -> !v.aboveReserve())
                .thenComparingDouble(Victim::relativeRank)
                .thenComparingLong(v -> v.candidate().idleSinceMillis()));
        return victims;
    }
}
