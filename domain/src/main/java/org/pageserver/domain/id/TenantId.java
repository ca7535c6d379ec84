package org.pageserver.domain.id;

/** A tenant's id: 16 bytes, shown as 32 lower-case hex characters; upper-case input is accepted. */
public record TenantId(String hex) implements Comparable<TenantId> {

    public TenantId {
        hex = HexId.normalize(hex);
    }

    public static TenantId parse(String text) {
        return new TenantId(text);
    }

    public static TenantId generate() {
        return new TenantId(HexId.random());
    }

    @Override
    public int compareTo(TenantId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
