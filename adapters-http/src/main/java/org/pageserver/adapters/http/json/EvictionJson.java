package org.pageserver.adapters.http.json;

import io.micronaut.json.tree.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pageserver.application.port.in.RunDiskUsageEvictionUseCase;

/**
 * The answer of {@code PUT /v1/disk_usage_eviction/run}, in Neon's shape:
 * {@code {"Finished": {before, planned, assumed}}}, each usage the pass's configuration and the
 * bytes it freed (or plans to).
 */
public final class EvictionJson {

    private EvictionJson() {
    }

    public static JsonNode finished(long evictBytes, RunDiskUsageEvictionUseCase.Result result) {
        Map<String, JsonNode> planned = new LinkedHashMap<>();
        planned.put("respecting_tenant_min_resident_size", usage(evictBytes, result.plannedAboveReserves()));
        planned.put("fallback_to_global_lru", result.plannedWithinReserves() == null ? JsonNode.nullNode()
                : usage(evictBytes, result.plannedWithinReserves()));
        Map<String, JsonNode> failed = new LinkedHashMap<>();
        failed.put("file_sizes", JsonNode.createNumberNode(result.failedBytes()));
        failed.put("count", JsonNode.createNumberNode(result.failedCount()));
        Map<String, JsonNode> assumed = new LinkedHashMap<>();
        assumed.put("projected_after", usage(evictBytes, result.freedBytes()));
        assumed.put("failed", JsonNode.createObjectNode(failed));
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        finished.put("before", usage(evictBytes, 0));
        finished.put("planned", JsonNode.createObjectNode(planned));
        finished.put("assumed", JsonNode.createObjectNode(assumed));
        return JsonNode.createObjectNode(Map.of("Finished", JsonNode.createObjectNode(finished)));
    }

    /** Neon's usage: the pass's configuration and the bytes freed (or to be). */
    private static JsonNode usage(long evictBytes, long freedBytes) {
        Map<String, JsonNode> usage = new LinkedHashMap<>();
        usage.put("config", JsonNode.createObjectNode(Map.of("evict_bytes", JsonNode.createNumberNode(evictBytes))));
        usage.put("freed_bytes", JsonNode.createNumberNode(freedBytes));
        return JsonNode.createObjectNode(usage);
    }
}
