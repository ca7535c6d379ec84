package org.pageserver.domain.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TimelineId shares TenantId's parser; these tests pin that it does. */
class TimelineIdTest {
    private static final String HEX = "de200bd42b49cc1814412c7e592dd6e9";

    @Test
    void acceptsAndNormalizes() {
        assertEquals(HEX, TimelineId.parse(HEX).toString());
        assertEquals(TimelineId.parse(HEX), TimelineId.parse(HEX.toUpperCase()));
    }

    @Test
    void reportsEachKindOfMistake() {
        assertEquals("Invalid character 'z' at position 3",
                assertThrows(IllegalArgumentException.class, () -> TimelineId.parse("de2z" + HEX.substring(4)))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimelineId.parse(HEX.substring(1)))
                .getMessage().contains("Odd number of digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimelineId.parse(HEX.substring(2)))
                .getMessage().contains("Invalid string length"));
        assertThrows(IllegalArgumentException.class, () -> TimelineId.parse(null));
    }

    @Test
    void generatedIdsAreValidAndUnique() {
        Set<TimelineId> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            TimelineId id = TimelineId.generate();
            assertTrue(id.hex().matches("[0-9a-f]{32}"), id.hex());
            assertTrue(seen.add(id), "duplicate " + id);
        }
    }

    @Test
    void isNotEqualToATenantIdWithTheSameHex() {
        assertNotEquals(TenantId.parse(HEX), TimelineId.parse(HEX));
    }
}
