package org.pageserver.domain.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiskPressureTest {

    @Test
    void theBytesToFreeAreWhatBringsTheDiskUnderBothThresholds() {
        // 1000 bytes, 150 free: 85% used.
        assertEquals(50, new DiskPressure(80, null).bytesToFree(1000, 150));
        assertEquals(0, new DiskPressure(90, null).bytesToFree(1000, 150));
        assertEquals(250, new DiskPressure(null, 400L).bytesToFree(1000, 150));
        assertEquals(250, new DiskPressure(80, 400L).bytesToFree(1000, 150), "the larger of the two");
        assertEquals(0, new DiskPressure(null, 100L).bytesToFree(1000, 150));
    }

    @Test
    void withoutAThresholdItIsOff() {
        assertFalse(new DiskPressure(null, null).enabled());
        assertEquals(0, new DiskPressure(null, null).bytesToFree(1000, 0));
        assertTrue(new DiskPressure(80, null).enabled());
        assertThrows(IllegalArgumentException.class, () -> new DiskPressure(101, null));
        assertThrows(IllegalArgumentException.class, () -> new DiskPressure(null, -1L));
    }
}
