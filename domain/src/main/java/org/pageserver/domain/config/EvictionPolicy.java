package org.pageserver.domain.config;

import java.time.Duration;

/** Whether and how a tenant's layer files are evicted from local disk on its own schedule. */
public sealed interface EvictionPolicy {

    /** Layers stay resident until disk pressure (the default). */
    record NoEviction() implements EvictionPolicy {
    }

    /** Every {@code period}, evict layers that no one has read for {@code threshold}. */
    record LayerAccessThreshold(Duration period, Duration threshold) implements EvictionPolicy {
        public LayerAccessThreshold {
            if (period == null || threshold == null) {
                throw new IllegalArgumentException("LayerAccessThreshold needs both period and threshold");
            }
            if (period.isNegative() || threshold.isNegative()) {
                throw new IllegalArgumentException("LayerAccessThreshold durations must not be negative");
            }
        }
    }

    EvictionPolicy NO_EVICTION = new NoEviction();

    /** Text form for storage and configuration files: {@code NoEviction} or {@code LayerAccessThreshold;<period>;<threshold>}. */
    default String toText() {
        if (this instanceof LayerAccessThreshold t) {
            return "LayerAccessThreshold;" + HumanDuration.format(t.period()) + ";" + HumanDuration.format(t.threshold());
        }
        return "NoEviction";
    }

    static EvictionPolicy parseText(String text) {
        String[] parts = text.trim().split(";", -1);
        if (parts.length == 1 && parts[0].equals("NoEviction")) {
            return NO_EVICTION;
        }
        if (parts.length == 3 && parts[0].equals("LayerAccessThreshold")) {
            return new LayerAccessThreshold(HumanDuration.parse(parts[1]), HumanDuration.parse(parts[2]));
        }
        throw new IllegalArgumentException("unknown eviction policy \"" + text
                + "\": expected NoEviction or LayerAccessThreshold;<period>;<threshold>");
    }
}
