package org.pageserver.domain.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;

class RemotePathTest {
    private static final TenantId TENANT = TenantId.parse("0123456789abcdef0123456789abcdef");
    private static final TimelineId TIMELINE = TimelineId.parse("fedcba9876543210fedcba9876543210");

    @Test
    void objectsAreLaidOutAsNeonLaysThemOut() {
        LayerName l0 = LayerName.l0(Lsn.of(0x1000001L), Lsn.of(0x2000000L));
        assertEquals("tenants/0123456789abcdef0123456789abcdef/timelines/fedcba9876543210fedcba9876543210/"
                + l0.fileName() + "-0000000a", RemotePath.layer(TENANT, TIMELINE, l0, new Generation(10)).value());
        RemotePath index = RemotePath.indexPart(TENANT, TIMELINE, new Generation(0xFFFF_FFFFL));
        assertEquals("tenants/0123456789abcdef0123456789abcdef/timelines/fedcba9876543210fedcba9876543210/index_part.json-ffffffff",
                index.value());
        assertEquals(new Generation(0xFFFF_FFFFL), index.indexGeneration());
        assertNull(RemotePath.timeline(TENANT, TIMELINE).child("index_part.json-1").indexGeneration());
        assertNull(RemotePath.timeline(TENANT, TIMELINE).child("index_part.json-0000000G").indexGeneration());
        assertTrue(index.isUnder(RemotePath.tenant(TENANT)));
        assertFalse(new RemotePath("tenants/0123").isUnder(new RemotePath("tenants/012")));
    }

    @Test
    void aPathIsSafeAsAKeyAndAsARelativeFilePath() {
        for (String bad : new String[] {"", "/a", "a/", "a//b", "a/../b", "..", "a/./b", "a\\b", "a\nb"}) {
            assertThrows(IllegalArgumentException.class, () -> new RemotePath(bad), bad);
        }
    }
}
