package org.pageserver.adapters.http.json;

import io.micronaut.json.tree.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;

/** The JSON answers of the data plane (docs/data-plane.md, "Routes") and of Neon's LSN-and-time lookups. */
public final class DataPlaneJson {

    private DataPlaneJson() {
    }

    /** {@code {"last_record_lsn": "X/Y"}} after an ingest. */
    public static JsonNode lastRecordLsn(Lsn lsn) {
        return single("last_record_lsn", JsonNode.createStringNode(lsn.toString()));
    }

    public static JsonNode nblocks(long nblocks) {
        return single("nblocks", JsonNode.createNumberNode(nblocks));
    }

    public static JsonNode exists(boolean exists) {
        return single("exists", JsonNode.createBooleanNode(exists));
    }

    public static JsonNode bytes(long bytes) {
        return single("bytes", JsonNode.createNumberNode(bytes));
    }

    /** A commit time as a JSON string (see {@link CommitTimes#format}). */
    public static JsonNode commitTime(long micros) {
        return JsonNode.createStringNode(CommitTimes.format(micros));
    }

    /** The spec's LsnByTimestampResponse: {@code {"lsn": "X/Y", "kind": "present|past|future|nodata"}}. */
    public static JsonNode lsnByTimestamp(LsnByTimestamp answer) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("lsn", JsonNode.createStringNode(answer.lsn().toString()));
        out.put("kind", JsonNode.createStringNode(kind(answer.kind())));
        return JsonNode.createObjectNode(out);
    }

    /** Neon's first form, a single JSON string: the LSN when present, else the kind's word. */
    public static JsonNode lsnByTimestampV1(LsnByTimestamp answer) {
        return JsonNode.createStringNode(answer.kind() == LsnByTimestamp.Kind.PRESENT
                ? answer.lsn().toString() : kind(answer.kind()));
    }

    private static String kind(LsnByTimestamp.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static JsonNode single(String key, JsonNode value) {
        return JsonNode.createObjectNode(Map.of(key, value));
    }
}
