package org.pageserver.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvictionPolicyTest {

    @Test
    void noEvictionRoundTrips() {
        assertEquals("NoEviction", EvictionPolicy.NO_EVICTION.toText());
        assertSame(EvictionPolicy.NO_EVICTION, EvictionPolicy.parseText(" NoEviction "));
    }

    @Test
    void layerAccessThresholdRoundTripsWithCanonicalDurations() {
        EvictionPolicy policy = new EvictionPolicy.LayerAccessThreshold(Duration.ofSeconds(80), Duration.ofDays(1));
        assertEquals("LayerAccessThreshold;1m 20s;1day", policy.toText());
        assertEquals(policy, EvictionPolicy.parseText(policy.toText()));
        assertEquals(policy, EvictionPolicy.parseText("LayerAccessThreshold;80s; 24h"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "noeviction", "LayerAccessThreshold", "LayerAccessThreshold;1h",
            "LayerAccessThreshold;1h;1h;1h", "LayerAccessThreshold;1h;x", "NoEviction;1h", "Other"})
    void rejectsUnknownText(String text) {
        assertThrows(IllegalArgumentException.class, () -> EvictionPolicy.parseText(text));
    }

    @Test
    void layerAccessThresholdNeedsBothDurations() {
        assertThrows(IllegalArgumentException.class,
                () -> new EvictionPolicy.LayerAccessThreshold(null, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new EvictionPolicy.LayerAccessThreshold(Duration.ofHours(1), null));
    }

    @Test
    void layerAccessThresholdRefusesNegativeDurations() {
        // A negative duration has no text form, so it could be validated but never stored.
        assertThrows(IllegalArgumentException.class,
                () -> new EvictionPolicy.LayerAccessThreshold(Duration.ofSeconds(-1), Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new EvictionPolicy.LayerAccessThreshold(Duration.ofHours(1), Duration.ofSeconds(-1)));
    }
}
