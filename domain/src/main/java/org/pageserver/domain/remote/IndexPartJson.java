package org.pageserver.domain.remote;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * The index part's JSON, as Neon's index_part.json names its fields (version 7: the metadata as
 * JSON, not as bytes):
 * <pre>
 * {"version": 7,
 *  "layer_metadata": {"&lt;layer file name&gt;": {"file_size": 123, "generation": 5}, ...},
 *  "disk_consistent_lsn": "0/16960E8",
 *  "metadata": {"tenant_id": "…", "timeline_id": "…", "ancestor_timeline": null, "ancestor_lsn": "0/0",
 *               "initdb_lsn": "0/1000000", "prev_record_lsn": "0/16960C0", "disk_consistent_lsn": "0/16960E8",
 *               "latest_gc_cutoff_lsn": "0/1000000", "pg_version": 15}}
 * </pre>
 * Reading is strict: an index part that is not exactly this (a damaged object, another program's)
 * is refused with a reason, never half-read; unknown fields are refused too, so that a newer
 * format is not read as an older one.
 */
public final class IndexPartJson {
    private IndexPartJson() {
    }

    public static byte[] write(IndexPart index) {
        TimelineMetadata m = index.metadata();
        StringBuilder out = new StringBuilder(256 + 160 * index.layers().size());
        out.append("{\"version\":").append(IndexPart.VERSION).append(",\"layer_metadata\":{");
        boolean first = true;
        for (Map.Entry<LayerName, IndexPart.RemoteLayer> e : index.layers().entrySet()) {
            out.append(first ? "" : ",").append(JsonText.quote(e.getKey().fileName())).append(":{\"file_size\":")
                    .append(e.getValue().fileSize()).append(",\"generation\":").append(e.getValue().generation().value())
                    .append('}');
            first = false;
        }
        out.append("},\"disk_consistent_lsn\":").append(JsonText.quote(m.diskConsistentLsn().toString()))
                .append(",\"metadata\":{\"tenant_id\":").append(JsonText.quote(m.tenantId().hex()))
                .append(",\"timeline_id\":").append(JsonText.quote(m.timelineId().hex()))
                .append(",\"ancestor_timeline\":")
                .append(m.ancestorTimelineId() == null ? "null" : JsonText.quote(m.ancestorTimelineId().hex()))
                .append(",\"ancestor_lsn\":").append(JsonText.quote(m.ancestorLsn().toString()))
                .append(",\"initdb_lsn\":").append(JsonText.quote(m.initdbLsn().toString()))
                .append(",\"prev_record_lsn\":").append(JsonText.quote(m.prevRecordLsn().toString()))
                .append(",\"disk_consistent_lsn\":").append(JsonText.quote(m.diskConsistentLsn().toString()))
                .append(",\"latest_gc_cutoff_lsn\":").append(JsonText.quote(m.latestGcCutoffLsn().toString()))
                .append(",\"pg_version\":").append(m.pgVersion()).append("}}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an index part.
     *
     * @throws IllegalArgumentException naming what is wrong, if the bytes are not an index part of this format
     */
    public static IndexPart read(byte[] bytes) {
        Map<String, Object> top = object(JsonText.parse(new String(bytes, StandardCharsets.UTF_8)), "the index part");
        only(top, "the index part", "version", "layer_metadata", "disk_consistent_lsn", "metadata");
        long version = number(top, "version");
        if (version != IndexPart.VERSION) {
            throw new IllegalArgumentException("index part version " + version + ", this server reads " + IndexPart.VERSION);
        }
        Map<String, Object> m = object(top.get("metadata"), "metadata");
        only(m, "metadata", "tenant_id", "timeline_id", "ancestor_timeline", "ancestor_lsn", "initdb_lsn", "prev_record_lsn",
                "disk_consistent_lsn", "latest_gc_cutoff_lsn", "pg_version");
        Lsn diskConsistent = lsn(m, "disk_consistent_lsn");
        if (!diskConsistent.equals(lsn(top, "disk_consistent_lsn"))) {
            throw new IllegalArgumentException("the index part's disk_consistent_lsn and its metadata's disagree");
        }
        Object ancestor = m.get("ancestor_timeline");
        TimelineMetadata metadata;
        try {
            metadata = new TimelineMetadata(TenantId.parse(string(m, "tenant_id")), TimelineId.parse(string(m, "timeline_id")),
                    ancestor == JsonText.NULL ? null : TimelineId.parse(string(m, "ancestor_timeline")),
                    lsn(m, "ancestor_lsn"), lsn(m, "initdb_lsn"), diskConsistent, lsn(m, "prev_record_lsn"), diskConsistent,
                    diskConsistent, lsn(m, "latest_gc_cutoff_lsn"), Math.toIntExact(number(m, "pg_version")), false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the index part's metadata is not valid: " + e.getMessage(), e);
        }
        Map<LayerName, IndexPart.RemoteLayer> layers = new HashMap<>();
        for (Map.Entry<String, Object> e : object(top.get("layer_metadata"), "layer_metadata").entrySet()) {
            LayerName name = LayerName.parse(e.getKey());
            if (!name.fileName().equals(e.getKey())) {
                throw new IllegalArgumentException("not a layer file name as written: " + e.getKey());
            }
            Map<String, Object> layer = object(e.getValue(), "layer " + e.getKey());
            only(layer, "layer " + e.getKey(), "file_size", "generation");
            long size = number(layer, "file_size");
            long generation = number(layer, "generation");
            if (size < 0 || generation < 0 || generation > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("layer " + e.getKey() + " has a size or generation out of range");
            }
            layers.put(name, new IndexPart.RemoteLayer(size, new Generation(generation)));
        }
        return new IndexPart(layers, metadata);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static void only(Map<String, Object> object, String what, String... fields) {
        List<String> known = List.of(fields);
        for (String field : known) {
            if (!object.containsKey(field)) {
                throw new IllegalArgumentException(what + " has no field \"" + field + "\"");
            }
        }
        for (String field : object.keySet()) {
            if (!known.contains(field)) {
                throw new IllegalArgumentException(what + " has an unknown field \"" + field + "\"");
            }
        }
    }

    private static long number(Map<String, Object> object, String field) {
        if (!(object.get(field) instanceof Long n)) {
            throw new IllegalArgumentException("field \"" + field + "\" is not an integer");
        }
        return n;
    }

    private static String string(Map<String, Object> object, String field) {
        if (!(object.get(field) instanceof String s)) {
            throw new IllegalArgumentException("field \"" + field + "\" is not a string");
        }
        return s;
    }

    private static Lsn lsn(Map<String, Object> object, String field) {
        try {
            return Lsn.parse(string(object, field));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("field \"" + field + "\" is not an LSN: " + e.getMessage(), e);
        }
    }
}
