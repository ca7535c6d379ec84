package org.pageserver.adapters.http.json;

import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.application.port.in.GetTenantSizeUseCase.TenantSize;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.size.SizeInputs;
import org.pageserver.domain.size.SizeModel;

/** The synthetic size in Neon's JSON: segment LSNs as integers, timeline inputs' LSNs as "X/Y". */
public final class SizeJson {
    private SizeJson() {
    }

    public static JsonNode syntheticSize(TenantSize size) {
        Map<String, JsonNode> out = idAndSize(size);
        if (size.segmentSizes() == null) {
            out.put("segment_sizes", JsonNode.nullNode());
        } else {
            List<JsonNode> segments = new ArrayList<>();
            for (SizeModel.SegmentSize s : size.segmentSizes()) {
                segments.add(JsonNode.createObjectNode(Map.of("method", JsonNode.createStringNode(s.method().apiName()),
                        "accum_size", JsonNode.createNumberNode(s.accumSize()))));
            }
            out.put("segment_sizes", JsonNode.createArrayNode(segments));
        }
        out.put("inputs", inputs(size.inputs()));
        return JsonNode.createObjectNode(out);
    }

    /** The answer of {@code /size}: {@code {id, size}}, and the inputs when only they were asked for (size null). */
    public static JsonNode size(TenantSize size) {
        Map<String, JsonNode> out = idAndSize(size);
        if (size.size() == null) {
            out.put("inputs", inputs(size.inputs()));
        }
        return JsonNode.createObjectNode(out);
    }

    /** Both answers start {@code {id, size}}; size null when only the inputs were asked for. */
    private static Map<String, JsonNode> idAndSize(TenantSize size) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("id", JsonNode.createStringNode(size.id().toString()));
        out.put("size", size.size() == null ? JsonNode.nullNode() : JsonNode.createNumberNode(size.size()));
        return out;
    }

    private static JsonNode inputs(SizeInputs inputs) {
        List<JsonNode> segments = new ArrayList<>();
        for (int i = 0; i < inputs.segments().size(); i++) {
            SizeModel.Segment s = inputs.segments().get(i);
            Map<String, JsonNode> segment = new LinkedHashMap<>();
            segment.put("parent", s.parent() == null ? JsonNode.nullNode() : JsonNode.createNumberNode(s.parent()));
            segment.put("lsn", JsonNode.createNumberNode(s.lsn()));
            segment.put("size", s.size() == null ? JsonNode.nullNode() : JsonNode.createNumberNode(s.size()));
            segment.put("needed", JsonNode.createBooleanNode(s.needed()));
            Map<String, JsonNode> data = new LinkedHashMap<>();
            data.put("segment", JsonNode.createObjectNode(segment));
            data.put("timeline_id", JsonNode.createStringNode(inputs.kinds().get(i).timelineId().toString()));
            data.put("kind", JsonNode.createStringNode(inputs.kinds().get(i).kind().name()));
            segments.add(JsonNode.createObjectNode(data));
        }
        List<JsonNode> timelines = new ArrayList<>();
        for (SizeInputs.TimelineInput t : inputs.timelineInputs()) {
            Map<String, JsonNode> input = new LinkedHashMap<>();
            input.put("timeline_id", JsonNode.createStringNode(t.timelineId().toString()));
            input.put("ancestor_id", t.ancestorId() == null ? JsonNode.nullNode() : JsonNode.createStringNode(t.ancestorId().toString()));
            input.put("ancestor_lsn", lsn(t.ancestorLsn() == null ? Lsn.INVALID : t.ancestorLsn()));
            input.put("last_record", lsn(t.lastRecord()));
            input.put("latest_gc_cutoff", lsn(t.latestGcCutoff()));
            input.put("horizon_cutoff", lsn(t.horizonCutoff()));
            input.put("pitr_cutoff", lsn(t.pitrCutoff()));
            input.put("next_gc_cutoff", lsn(t.nextGcCutoff()));
            input.put("retention_param_cutoff", t.retentionParamCutoff() == null ? JsonNode.nullNode() : lsn(t.retentionParamCutoff()));
            timelines.add(JsonNode.createObjectNode(input));
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("segments", JsonNode.createArrayNode(segments));
        out.put("timeline_inputs", JsonNode.createArrayNode(timelines));
        return JsonNode.createObjectNode(out);
    }

    private static JsonNode lsn(Lsn lsn) {
        return JsonNode.createStringNode(lsn.toString());
    }
}
