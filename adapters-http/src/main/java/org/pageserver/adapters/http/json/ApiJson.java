package org.pageserver.adapters.http.json;

import io.micronaut.json.tree.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.application.port.in.TenantConfigView;
import org.pageserver.application.port.in.TenantInfo;
import org.pageserver.application.port.in.TimelineInfo;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.tenant.AttachmentStatus;
import org.pageserver.domain.tenant.TenantState;
import org.pageserver.domain.timeline.GcResult;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/** Renders the use cases' answers in Neon's JSON shapes, keys in Neon's order. */
public final class ApiJson {

    private ApiJson() {
    }

    /** {@code {"id", "state", "current_physical_size", "attachment_status"}}. */
    /** Neon's GcResult, as do_gc answers it. */
    public static JsonNode gcResult(GcResult result) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("layers_total", JsonNode.createNumberNode(result.layersTotal()));
        out.put("layers_needed_by_cutoff", JsonNode.createNumberNode(result.layersNeededByCutoff()));
        out.put("layers_needed_by_pitr", JsonNode.createNumberNode(result.layersNeededByPitr()));
        out.put("layers_needed_by_branches", JsonNode.createNumberNode(result.layersNeededByBranches()));
        out.put("layers_not_updated", JsonNode.createNumberNode(result.layersNotUpdated()));
        out.put("layers_removed", JsonNode.createNumberNode(result.layersRemoved()));
        out.put("elapsed", JsonNode.createNumberNode(result.elapsedMs()));
        return JsonNode.createObjectNode(out);
    }

    public static JsonNode tenantInfo(TenantInfo info) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("id", JsonNode.createStringNode(info.id().toString()));
        out.put("state", tenantState(info.state()));
        out.put("current_physical_size", info.currentPhysicalSize() == null
                ? JsonNode.nullNode() : JsonNode.createNumberNode(info.currentPhysicalSize()));
        out.put("attachment_status", attachmentStatus(info.state().attachmentStatus()));
        return JsonNode.createObjectNode(out);
    }

    public static JsonNode tenantInfos(List<TenantInfo> infos) {
        return JsonNode.createArrayNode(infos.stream().map(ApiJson::tenantInfo).toList());
    }

    /** Both keys always, as the spec requires {@code data}: an empty object where Neon would omit it. */
    static JsonNode tenantState(TenantState state) {
        JsonNode data;
        if (state instanceof TenantState.Activating activating) {
            data = JsonNode.createStringNode(
                    activating.from() == TenantState.ActivatingFrom.LOADING ? "Loading" : "Attaching");
        } else if (state instanceof TenantState.Broken broken) {
            data = reasonAndBacktrace(broken.reason(), broken.backtrace());
        } else {
            data = emptyObject();
        }
        return slugAndData(state.slug(), data);
    }

    static JsonNode attachmentStatus(AttachmentStatus status) {
        JsonNode data = status.failureReason() == null
                ? emptyObject()
                : JsonNode.createObjectNode(Map.of("reason", JsonNode.createStringNode(status.failureReason())));
        return slugAndData(status.slug(), data);
    }

    public static JsonNode tenantConfig(TenantConfigView view) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("tenant_specific_overrides", TenantConfigJson.render(view.tenantSpecificOverrides()));
        out.put("effective_config", TenantConfigJson.render(view.effectiveConfig()));
        return JsonNode.createObjectNode(out);
    }

    /** Neon's TimelineInfo; fields this server does not track yet (WAL receiver, dir size) are null. */
    public static JsonNode timelineInfo(TimelineInfo info) {
        TimelineMetadata m = info.metadata();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("tenant_id", JsonNode.createStringNode(m.tenantId().toString()));
        out.put("timeline_id", JsonNode.createStringNode(m.timelineId().toString()));
        out.put("ancestor_timeline_id", m.ancestorTimelineId() == null
                ? JsonNode.nullNode() : JsonNode.createStringNode(m.ancestorTimelineId().toString()));
        out.put("ancestor_lsn", m.ancestorLsn().isValid() ? lsn(m.ancestorLsn()) : JsonNode.nullNode());
        out.put("last_record_lsn", lsn(m.lastRecordLsn()));
        out.put("prev_record_lsn", lsn(m.prevRecordLsn()));
        out.put("latest_gc_cutoff_lsn", lsn(m.latestGcCutoffLsn()));
        out.put("disk_consistent_lsn", lsn(m.diskConsistentLsn()));
        out.put("remote_consistent_lsn", lsn(m.remoteConsistentLsn()));
        out.put("remote_consistent_lsn_visible", lsn(m.remoteConsistentLsn()));
        out.put("current_logical_size", info.currentLogicalSize() == null
                ? JsonNode.nullNode() : JsonNode.createNumberNode(info.currentLogicalSize()));
        out.put("current_physical_size", JsonNode.createNumberNode(info.currentPhysicalSize()));
        out.put("current_logical_size_non_incremental", info.nonIncrementalLogicalSize() == null
                ? JsonNode.nullNode() : JsonNode.createNumberNode(info.nonIncrementalLogicalSize()));
        out.put("timeline_dir_layer_file_size_sum", JsonNode.nullNode());
        out.put("wal_source_connstr", JsonNode.nullNode());
        out.put("last_received_msg_lsn", JsonNode.nullNode());
        out.put("last_received_msg_ts", JsonNode.nullNode());
        out.put("pg_version", JsonNode.createNumberNode(m.pgVersion()));
        out.put("state", timelineState(info.state()));
        out.put("walreceiver_status", JsonNode.createStringNode(walreceiverStatus(info.state())));
        return JsonNode.createObjectNode(out);
    }

    public static JsonNode timelineInfos(List<TimelineInfo> infos) {
        return JsonNode.createArrayNode(infos.stream().map(ApiJson::timelineInfo).toList());
    }

    static JsonNode timelineState(TimelineState state) {
        if (state instanceof TimelineState.Broken broken) {
            return JsonNode.createObjectNode(Map.of("Broken", reasonAndBacktrace(broken.reason(), broken.backtrace())));
        }
        return JsonNode.createStringNode(state.name());
    }

    /**
     * Neon's words: an active timeline has a WAL receiver that is "Not active" until a safekeeper
     * connection exists (none does yet); any other timeline has none running.
     */
    private static String walreceiverStatus(TimelineState state) {
        return state instanceof TimelineState.Active ? "Not active" : "stopping or stopped";
    }

    static JsonNode lsn(Lsn lsn) {
        return JsonNode.createStringNode(lsn.toString());
    }

    private static JsonNode slugAndData(String slug, JsonNode data) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("slug", JsonNode.createStringNode(slug));
        out.put("data", data);
        return JsonNode.createObjectNode(out);
    }

    private static JsonNode reasonAndBacktrace(String reason, String backtrace) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("reason", JsonNode.createStringNode(reason));
        out.put("backtrace", JsonNode.createStringNode(backtrace == null ? "" : backtrace));
        return JsonNode.createObjectNode(out);
    }

    private static JsonNode emptyObject() {
        return JsonNode.createObjectNode(Map.of());
    }
}
