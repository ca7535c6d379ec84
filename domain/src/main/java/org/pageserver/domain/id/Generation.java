package org.pageserver.domain.id;

/**
 * An attachment generation: a u32 the control plane raises each time it attaches a tenant
 * somewhere, so that a stale attachment can never overwrite or delete a newer one's objects.
 */
public record Generation(long value) implements Comparable<Generation> {
    /** A tenant's first generation, when nobody gave it one. */
    public static final Generation FIRST = new Generation(1);

    public Generation {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("generation " + value + " is outside the u32 range");
        }
    }

    /** Suffix of remote object names: eight hex digits. */
    public String suffix() {
        return String.format("%08x", value);
    }

    @Override
    public int compareTo(Generation other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
