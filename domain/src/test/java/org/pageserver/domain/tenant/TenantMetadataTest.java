package org.pageserver.domain.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;

class TenantMetadataTest {
    private static final TenantId ID = TenantId.parse("0123456789abcdef0123456789abcdef");

    @Test
    void createdIsNotDeleting() {
        TenantMetadata metadata = TenantMetadata.created(ID, TenantConfOverrides.none(), new Generation(3));
        assertFalse(metadata.deleting());
        assertEquals(new Generation(3), metadata.generation());
    }

    @Test
    void markedDeletingKeepsEverythingElse() {
        TenantConfOverrides overrides = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1L));
        TenantMetadata marked = TenantMetadata.created(ID, overrides, null).markedDeleting();
        assertTrue(marked.deleting());
        assertEquals(new TenantMetadata(ID, overrides, null, true, false, false), marked);
    }

    @Test
    void ignoredThenLoadedInANewGeneration() {
        TenantConfOverrides overrides = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1L));
        TenantMetadata ignored = TenantMetadata.created(ID, overrides, new Generation(2)).markedIgnored();
        assertTrue(ignored.ignored());
        assertFalse(ignored.deleting());
        TenantMetadata loaded = ignored.loaded(new Generation(3));
        assertEquals(TenantMetadata.created(ID, overrides, new Generation(3)), loaded);
    }

    @Test
    void isAtMostOneOfDeletingIgnoredAndAttaching() {
        TenantConfOverrides none = TenantConfOverrides.none();
        assertThrows(IllegalArgumentException.class, () -> new TenantMetadata(ID, none, null, true, true, false));
        assertThrows(IllegalArgumentException.class, () -> new TenantMetadata(ID, none, null, true, false, true));
        assertThrows(IllegalArgumentException.class, () -> new TenantMetadata(ID, none, null, false, true, true));
    }

    @Test
    void anAttachIsMarkedUntilEveryTimelineIsRecorded() {
        TenantMetadata attaching = TenantMetadata.attaching(ID, TenantConfOverrides.none(), new Generation(7));
        assertTrue(attaching.attaching());
        assertEquals(TenantMetadata.created(ID, TenantConfOverrides.none(), new Generation(7)), attaching.attached());
    }

    @Test
    void withOverridesReplacesThemAll() {
        TenantMetadata metadata = TenantMetadata.created(ID,
                TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1L)), null);
        TenantConfOverrides replacement = TenantConfOverrides.of(Map.of(TenantConfigField.GC_FEEDBACK, true));
        assertEquals(replacement, metadata.withOverrides(replacement).overrides());
    }

    @Test
    void needsAnIdAndOverrides() {
        assertThrows(IllegalArgumentException.class, () -> TenantMetadata.created(null, TenantConfOverrides.none(), null));
        assertThrows(IllegalArgumentException.class, () -> TenantMetadata.created(ID, null, null));
    }
}
