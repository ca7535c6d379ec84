package org.pageserver.domain.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pageserver.domain.tenant.TenantState.ActivatingFrom;

class TenantStateTest {
    private static final TenantState ACTIVATING_FROM_LOADING = new TenantState.Activating(ActivatingFrom.LOADING);
    private static final TenantState ACTIVATING_FROM_ATTACHING = new TenantState.Activating(ActivatingFrom.ATTACHING);
    private static final TenantState BROKEN = new TenantState.Broken("disk on fire", "at somewhere");

    @Test
    void slugsAreNeonsStateNames() {
        assertEquals("Loading", TenantState.LOADING.slug());
        assertEquals("Attaching", TenantState.ATTACHING.slug());
        assertEquals("Activating", ACTIVATING_FROM_LOADING.slug());
        assertEquals("Activating", ACTIVATING_FROM_ATTACHING.slug());
        assertEquals("Active", TenantState.ACTIVE.slug());
        assertEquals("Stopping", TenantState.STOPPING.slug());
        assertEquals("Broken", BROKEN.slug());
    }

    @Test
    void attachingActivatingFromAttachingAndStoppingAreMaybe() {
        assertEquals(AttachmentStatus.MAYBE, TenantState.ATTACHING.attachmentStatus());
        assertEquals(AttachmentStatus.MAYBE, ACTIVATING_FROM_ATTACHING.attachmentStatus());
        assertEquals(AttachmentStatus.MAYBE, TenantState.STOPPING.attachmentStatus());
        assertEquals("maybe", AttachmentStatus.MAYBE.slug());
    }

    @Test
    void loadingActivatingFromLoadingAndActiveAreAttached() {
        assertEquals(AttachmentStatus.ATTACHED, TenantState.LOADING.attachmentStatus());
        assertEquals(AttachmentStatus.ATTACHED, ACTIVATING_FROM_LOADING.attachmentStatus());
        assertEquals(AttachmentStatus.ATTACHED, TenantState.ACTIVE.attachmentStatus());
        assertEquals("attached", AttachmentStatus.ATTACHED.slug());
        assertNull(AttachmentStatus.ATTACHED.failureReason());
    }

    @Test
    void brokenIsFailedWithItsReason() {
        AttachmentStatus status = BROKEN.attachmentStatus();
        assertEquals("failed", status.slug());
        assertEquals("disk on fire", status.failureReason());
        assertEquals(AttachmentStatus.failed("disk on fire"), status);
    }

    @Test
    void onlyActiveAndBrokenCanBeDeleted() {
        assertTrue(TenantState.ACTIVE.canBeDeleted());
        assertTrue(BROKEN.canBeDeleted());
        assertFalse(TenantState.LOADING.canBeDeleted());
        assertFalse(TenantState.ATTACHING.canBeDeleted());
        assertFalse(ACTIVATING_FROM_LOADING.canBeDeleted());
        assertFalse(ACTIVATING_FROM_ATTACHING.canBeDeleted());
        assertFalse(TenantState.STOPPING.canBeDeleted());
    }

    @Test
    void onlyActiveIsActive() {
        assertTrue(TenantState.ACTIVE.isActive());
        assertFalse(BROKEN.isActive());
        assertFalse(TenantState.ATTACHING.isActive());
        assertFalse(ACTIVATING_FROM_ATTACHING.isActive());
        assertFalse(TenantState.STOPPING.isActive());
    }
}
