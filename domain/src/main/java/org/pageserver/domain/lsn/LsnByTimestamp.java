package org.pageserver.domain.lsn;


/**
 * The answer to "which LSN corresponds to this time", from the timeline's COMMIT records.
 *
 * @param kind {@code present}: at {@code lsn} every commit before the time is visible and none at
 *             or after it; {@code past}: every commit is at or after the time; {@code future}:
 *             every commit is before it; {@code nodata}: there is no commit
 */
public record LsnByTimestamp(Lsn lsn, Kind kind) {
    public enum Kind { PRESENT, PAST, FUTURE, NODATA }
}
