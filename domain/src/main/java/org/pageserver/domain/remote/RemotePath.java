package org.pageserver.domain.remote;

import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;

/**
 * The key of an object in remote storage, relative to its root (a bucket and its prefix, or a
 * directory), in Neon's layout:
 * <pre>
 * tenants/&lt;tenant&gt;/timelines/&lt;timeline&gt;/&lt;layer file name&gt;-&lt;generation, 8 hex&gt;
 * tenants/&lt;tenant&gt;/timelines/&lt;timeline&gt;/index_part.json-&lt;generation, 8 hex&gt;
 * </pre>
 * Parts are separated by '/', none empty, none "." or "..": safe as an object key and as a relative
 * path on a file system.
 */
public record RemotePath(String value) implements Comparable<RemotePath> {
    public static final String INDEX_PART = "index_part.json";

    public RemotePath {
        if (value == null || value.isEmpty() || value.startsWith("/") || value.endsWith("/") || value.contains("//")
                || value.contains("\\") || value.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("not a remote path: " + value);
        }
        for (String part : value.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("not a remote path: " + value);
            }
        }
    }

    public static RemotePath tenant(TenantId tenant) {
        return new RemotePath("tenants/" + tenant.hex());
    }

    public static RemotePath timeline(TenantId tenant, TimelineId timeline) {
        return new RemotePath("tenants/" + tenant.hex() + "/timelines/" + timeline.hex());
    }

    public static RemotePath layer(TenantId tenant, TimelineId timeline, LayerName layer, Generation generation) {
        return timeline(tenant, timeline).child(layer.fileName() + "-" + generation.suffix());
    }

    public static RemotePath indexPart(TenantId tenant, TimelineId timeline, Generation generation) {
        return timeline(tenant, timeline).child(INDEX_PART + "-" + generation.suffix());
    }

    public RemotePath child(String name) {
        return new RemotePath(value + "/" + name);
    }

    /** The last part: the object's name in its "directory". */
    public String name() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** Whether this path is {@code prefix} or lies under it. */
    public boolean isUnder(RemotePath prefix) {
        return value.equals(prefix.value) || value.startsWith(prefix.value + "/");
    }

    /**
     * The generation of an index part's name ({@code index_part.json-<8 hex>}), or null if the name
     * is not one.
     */
    public Generation indexGeneration() {
        String name = name();
        if (!name.startsWith(INDEX_PART + "-")) {
            return null;
        }
        return parseSuffix(name.substring(INDEX_PART.length() + 1));
    }

    private static Generation parseSuffix(String hex) {
        if (hex.length() != 8 || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            return null;
        }
        return new Generation(Long.parseLong(hex, 16));
    }

    @Override
    public int compareTo(RemotePath o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
