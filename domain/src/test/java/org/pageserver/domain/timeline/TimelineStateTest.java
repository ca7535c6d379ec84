package org.pageserver.domain.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimelineStateTest {

    @Test
    void namesAreNeonsStateNames() {
        assertEquals("Loading", TimelineState.LOADING.name());
        assertEquals("Active", TimelineState.ACTIVE.name());
        assertEquals("Stopping", TimelineState.STOPPING.name());
        assertEquals("Broken", new TimelineState.Broken("why", "").name());
    }
}
