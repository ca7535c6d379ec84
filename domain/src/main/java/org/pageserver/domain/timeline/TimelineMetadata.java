package org.pageserver.domain.timeline;

import java.util.Optional;
import java.util.Set;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * What this node keeps about a timeline across restarts (Neon's timeline metadata): its place in
 * the branch tree and the LSNs that say how far its history reaches and how much of it is safe.
 *
 * @param ancestorTimelineId the timeline this one branched from, or null for a root timeline
 * @param ancestorLsn        the branch point ({@link Lsn#INVALID} for a root): reads at or below it go to the ancestor
 * @param initdbLsn          where the root of this branch tree began
 * @param lastRecordLsn      the last ingested record
 * @param prevRecordLsn      the record before it ({@link Lsn#INVALID} if none)
 * @param diskConsistentLsn  everything at or below it is in local layer files
 * @param remoteConsistentLsn everything at or below it is in remote storage ({@link Lsn#INVALID} if nothing is)
 * @param latestGcCutoffLsn  reads and branches below it are refused; it never moves back; a branch starts with its ancestor's
 * @param pgVersion          the PostgreSQL major version of the data
 * @param deleting           deletion has begun and resumes after a restart
 */
public record TimelineMetadata(
        TenantId tenantId,
        TimelineId timelineId,
        TimelineId ancestorTimelineId,
        Lsn ancestorLsn,
        Lsn initdbLsn,
        Lsn lastRecordLsn,
        Lsn prevRecordLsn,
        Lsn diskConsistentLsn,
        Lsn remoteConsistentLsn,
        Lsn latestGcCutoffLsn,
        int pgVersion,
        boolean deleting) {

    /** The PostgreSQL major versions a timeline may hold. */
    public static final Set<Integer> SUPPORTED_PG_VERSIONS = Set.of(14, 15, 16);
    public static final int DEFAULT_PG_VERSION = 15;

    public TimelineMetadata {
        if (tenantId == null || timelineId == null || ancestorLsn == null || initdbLsn == null
                || lastRecordLsn == null || prevRecordLsn == null || diskConsistentLsn == null
                || remoteConsistentLsn == null || latestGcCutoffLsn == null) {
            throw new IllegalArgumentException("timeline metadata has a missing field");
        }
        if (ancestorTimelineId == null && ancestorLsn.isValid()) {
            throw new IllegalArgumentException("a root timeline has no ancestor LSN");
        }
        if (!SUPPORTED_PG_VERSIONS.contains(pgVersion)) {
            throw new IllegalArgumentException("unsupported pg_version " + pgVersion);
        }
    }

    /** A new root timeline: its history starts at {@link Lsn#INITDB}. */
    public static TimelineMetadata root(TenantId tenantId, TimelineId timelineId, int pgVersion) {
        requireSupported(pgVersion);
        Lsn start = Lsn.INITDB;
        return new TimelineMetadata(tenantId, timelineId, null, Lsn.INVALID, start, start, Lsn.INVALID,
                start, Lsn.INVALID, start, pgVersion, false);
    }

    /**
     * A new branch of this timeline at {@code startLsn}. The branch sees this timeline's history up
     * to and including the start LSN and nothing after it.
     *
     * @throws PageserverException NOT_ACCEPTABLE if the start LSN is below this timeline's own
     *         branch point or its GC cutoff (that history may already be gone)
     */
    public TimelineMetadata branch(TimelineId newId, Lsn startLsn, Integer requestedPgVersion) {
        if (ancestorTimelineId != null && startLsn.isBefore(ancestorLsn)) {
            throw PageserverException.notAcceptable("invalid start lsn " + startLsn + " for ancestor timeline "
                    + timelineId + ": less than timeline ancestor lsn " + ancestorLsn);
        }
        if (startLsn.isBefore(latestGcCutoffLsn)) {
            throw PageserverException.notAcceptable("invalid branch start lsn: less than latest GC cutoff "
                    + latestGcCutoffLsn + ": LSN " + startLsn + " is earlier than latest GC horizon "
                    + latestGcCutoffLsn);
        }
        int version = requestedPgVersion == null ? pgVersion : requestedPgVersion;
        requireSupported(version);
        if (version != pgVersion) {
            throw PageserverException.badRequest("pg_version " + version + " differs from the ancestor's " + pgVersion);
        }
        Lsn prev = startLsn.equals(lastRecordLsn) ? prevRecordLsn : Lsn.INVALID;
        // The branch inherits its ancestor's GC cutoff (as Neon's does): reads below the branch point
        // are served from the ancestor, which keeps that history as long as the branch exists.
        return new TimelineMetadata(tenantId, newId, timelineId, startLsn, initdbLsn, startLsn, prev, startLsn,
                Lsn.INVALID, latestGcCutoffLsn, pgVersion, false);
    }

    private static void requireSupported(int pgVersion) {
        if (!SUPPORTED_PG_VERSIONS.contains(pgVersion)) {
            throw PageserverException.badRequest("pg_version " + pgVersion + " is not supported; supported: 14, 15, 16");
        }
    }

    public Optional<TimelineId> ancestor() {
        return Optional.ofNullable(ancestorTimelineId);
    }

    /** The same timeline with its record LSNs and disk-consistent LSN moved on. */
    public TimelineMetadata withLsns(Lsn newLastRecordLsn, Lsn newPrevRecordLsn, Lsn newDiskConsistentLsn) {
        return new TimelineMetadata(tenantId, timelineId, ancestorTimelineId, ancestorLsn, initdbLsn, newLastRecordLsn,
                newPrevRecordLsn, newDiskConsistentLsn, remoteConsistentLsn, latestGcCutoffLsn, pgVersion, deleting);
    }

    /** The same timeline with everything up to {@code lsn} in remote storage (its last uploaded index). */
    public TimelineMetadata withRemoteConsistentLsn(Lsn lsn) {
        return new TimelineMetadata(tenantId, timelineId, ancestorTimelineId, ancestorLsn, initdbLsn, lastRecordLsn,
                prevRecordLsn, diskConsistentLsn, lsn, latestGcCutoffLsn, pgVersion, deleting);
    }

    /** The same timeline with its GC cutoff moved to {@code cutoff}, which must not be below the current one. */
    public TimelineMetadata withGcCutoff(Lsn cutoff) {
        if (cutoff.isBefore(latestGcCutoffLsn)) {
            throw new IllegalArgumentException("the GC cutoff only moves forward: " + latestGcCutoffLsn + " -> " + cutoff);
        }
        return new TimelineMetadata(tenantId, timelineId, ancestorTimelineId, ancestorLsn, initdbLsn, lastRecordLsn,
                prevRecordLsn, diskConsistentLsn, remoteConsistentLsn, cutoff, pgVersion, deleting);
    }

    public TimelineMetadata markedDeleting() {
        return new TimelineMetadata(tenantId, timelineId, ancestorTimelineId, ancestorLsn, initdbLsn, lastRecordLsn,
                prevRecordLsn, diskConsistentLsn, remoteConsistentLsn, latestGcCutoffLsn, pgVersion, true);
    }
}
