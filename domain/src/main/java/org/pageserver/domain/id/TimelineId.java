package org.pageserver.domain.id;

/** A timeline's id, unique within its tenant: 16 bytes as 32 lower-case hex characters. */
public record TimelineId(String hex) implements Comparable<TimelineId> {

    public TimelineId {
        hex = HexId.normalize(hex);
    }

    public static TimelineId parse(String text) {
        return new TimelineId(text);
    }

    public static TimelineId generate() {
        return new TimelineId(HexId.random());
    }

    @Override
    public int compareTo(TimelineId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
