package org.pageserver.domain.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

class TimelineMetadataTest {
    private static final TenantId TENANT = TenantId.parse("0123456789abcdef0123456789abcdef");
    private static final TimelineId ROOT = TimelineId.parse("11111111111111111111111111111111");
    private static final TimelineId CHILD = TimelineId.parse("22222222222222222222222222222222");
    private static final TimelineId GRANDCHILD = TimelineId.parse("33333333333333333333333333333333");

    /** The root timeline with its history advanced to {@code last}. */
    private static TimelineMetadata rootAt(Lsn last, Lsn prev) {
        TimelineMetadata root = TimelineMetadata.root(TENANT, ROOT, 15);
        return new TimelineMetadata(TENANT, ROOT, null, Lsn.INVALID, root.initdbLsn(), last, prev, last,
                Lsn.INVALID, root.latestGcCutoffLsn(), 15, false);
    }

    @Test
    void rootStartsAtInitdb() {
        TimelineMetadata root = TimelineMetadata.root(TENANT, ROOT, 14);
        assertEquals(TENANT, root.tenantId());
        assertEquals(ROOT, root.timelineId());
        assertNull(root.ancestorTimelineId());
        assertEquals(Optional.empty(), root.ancestor());
        assertEquals(Lsn.INVALID, root.ancestorLsn());
        assertEquals(Lsn.INITDB, root.initdbLsn());
        assertEquals(Lsn.INITDB, root.lastRecordLsn());
        assertEquals(Lsn.INVALID, root.prevRecordLsn());
        assertEquals(Lsn.INITDB, root.diskConsistentLsn());
        assertEquals(Lsn.INVALID, root.remoteConsistentLsn());
        assertEquals(Lsn.INITDB, root.latestGcCutoffLsn());
        assertEquals(14, root.pgVersion());
        assertFalse(root.deleting());
    }

    @Test
    void branchAtAnLsnStartsThere() {
        Lsn start = Lsn.parse("0/1800000");
        TimelineMetadata child = rootAt(Lsn.parse("0/2000000"), Lsn.parse("0/1FFFFF0")).branch(CHILD, start, null);
        assertEquals(CHILD, child.timelineId());
        assertEquals(TENANT, child.tenantId());
        assertEquals(ROOT, child.ancestorTimelineId());
        assertEquals(Optional.of(ROOT), child.ancestor());
        assertEquals(start, child.ancestorLsn());
        assertEquals(start, child.lastRecordLsn());
        assertEquals(start, child.diskConsistentLsn());
        assertEquals(Lsn.INITDB, child.latestGcCutoffLsn(), "a branch inherits its ancestor's GC cutoff");
        assertEquals(Lsn.INVALID, child.prevRecordLsn(), "the record before a mid-history start is unknown");
        assertEquals(Lsn.INVALID, child.remoteConsistentLsn());
        assertEquals(Lsn.INITDB, child.initdbLsn());
        assertEquals(15, child.pgVersion());
        assertFalse(child.deleting());
    }

    @Test
    void branchAtTheEndKeepsThePreviousRecord() {
        Lsn last = Lsn.parse("0/2000000");
        Lsn prev = Lsn.parse("0/1FFFFF0");
        TimelineMetadata child = rootAt(last, prev).branch(CHILD, last, 15);
        assertEquals(prev, child.prevRecordLsn());
    }

    @Test
    void branchAtTheGcCutoffIsAllowed() {
        TimelineMetadata root = TimelineMetadata.root(TENANT, ROOT, 15);
        assertEquals(Lsn.INITDB, root.branch(CHILD, Lsn.INITDB, null).ancestorLsn());
    }

    @Test
    void branchBelowTheAncestorsOwnBranchPointIsNotAcceptable() {
        Lsn childStart = Lsn.parse("0/1800000");
        TimelineMetadata child = rootAt(Lsn.parse("0/2000000"), Lsn.INVALID).branch(CHILD, childStart, null);
        PageserverException e = assertThrows(PageserverException.class,
                () -> child.branch(GRANDCHILD, Lsn.parse("0/17FFFFF"), null));
        assertEquals(ErrorKind.NOT_ACCEPTABLE, e.kind());
        assertTrue(e.getMessage().contains("less than timeline ancestor lsn"), e.getMessage());
        assertTrue(e.getMessage().contains("0/1800000"), e.getMessage());
        assertEquals(childStart, child.branch(GRANDCHILD, childStart, null).ancestorLsn());
    }

    @Test
    void branchBelowTheGcCutoffIsNotAcceptable() {
        TimelineMetadata advanced = new TimelineMetadata(TENANT, ROOT, null, Lsn.INVALID, Lsn.INITDB,
                Lsn.parse("0/3000000"), Lsn.INVALID, Lsn.parse("0/3000000"), Lsn.INVALID, Lsn.parse("0/2000000"),
                15, false);
        PageserverException e = assertThrows(PageserverException.class,
                () -> advanced.branch(CHILD, Lsn.parse("0/1FFFFFF"), null));
        assertEquals(ErrorKind.NOT_ACCEPTABLE, e.kind());
        assertTrue(e.getMessage().contains("invalid branch start lsn"), e.getMessage());

        PageserverException belowInitdb = assertThrows(PageserverException.class,
                () -> TimelineMetadata.root(TENANT, ROOT, 15).branch(CHILD, Lsn.parse("0/10"), null));
        assertEquals(ErrorKind.NOT_ACCEPTABLE, belowInitdb.kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 15, 16})
    void rootAcceptsSupportedVersions(int version) {
        assertEquals(version, TimelineMetadata.root(TENANT, ROOT, version).pgVersion());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 13, 17, -15})
    void rootRejectsUnsupportedVersionsAsBadRequest(int version) {
        PageserverException e = assertThrows(PageserverException.class,
                () -> TimelineMetadata.root(TENANT, ROOT, version));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("pg_version " + version), e.getMessage());
    }

    @Test
    void branchKeepsTheAncestorsVersionAndRefusesAnother() {
        TimelineMetadata root = TimelineMetadata.root(TENANT, ROOT, 16);
        assertEquals(16, root.branch(CHILD, Lsn.INITDB, null).pgVersion());
        assertEquals(16, root.branch(CHILD, Lsn.INITDB, 16).pgVersion());
        assertEquals(ErrorKind.BAD_REQUEST,
                assertThrows(PageserverException.class, () -> root.branch(CHILD, Lsn.INITDB, 15)).kind());
        assertEquals(ErrorKind.BAD_REQUEST,
                assertThrows(PageserverException.class, () -> root.branch(CHILD, Lsn.INITDB, 99)).kind());
    }

    @Test
    void constructorRejectsInconsistentRecords() {
        assertThrows(IllegalArgumentException.class, () -> new TimelineMetadata(TENANT, ROOT, null,
                Lsn.parse("0/1"), Lsn.INITDB, Lsn.INITDB, Lsn.INVALID, Lsn.INITDB, Lsn.INVALID, Lsn.INITDB, 15, false));
        assertThrows(IllegalArgumentException.class, () -> new TimelineMetadata(TENANT, ROOT, null,
                Lsn.INVALID, Lsn.INITDB, null, Lsn.INVALID, Lsn.INITDB, Lsn.INVALID, Lsn.INITDB, 15, false));
        assertThrows(IllegalArgumentException.class, () -> new TimelineMetadata(TENANT, ROOT, null,
                Lsn.INVALID, Lsn.INITDB, Lsn.INITDB, Lsn.INVALID, Lsn.INITDB, Lsn.INVALID, Lsn.INITDB, 12, false));
    }

    @Test
    void markedDeletingKeepsEverythingElse() {
        TimelineMetadata root = TimelineMetadata.root(TENANT, ROOT, 15);
        TimelineMetadata marked = root.markedDeleting();
        assertTrue(marked.deleting());
        assertEquals(root, new TimelineMetadata(marked.tenantId(), marked.timelineId(), marked.ancestorTimelineId(),
                marked.ancestorLsn(), marked.initdbLsn(), marked.lastRecordLsn(), marked.prevRecordLsn(),
                marked.diskConsistentLsn(), marked.remoteConsistentLsn(), marked.latestGcCutoffLsn(),
                marked.pgVersion(), false));
    }
}
