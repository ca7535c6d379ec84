package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Set;
import org.pageserver.adapters.http.json.EvictionJson;
import org.pageserver.adapters.http.json.JsonBody;
import org.pageserver.application.port.in.RunDiskUsageEvictionUseCase;
import org.pageserver.domain.error.PageserverException;

/** Neon's disk_usage_eviction/run: one pass of disk-usage eviction, for an operator or a test. */
@Controller("/v1/disk_usage_eviction")
@Secured(SecurityRule.IS_ANONYMOUS)
public class DiskUsageEvictionController {
    private final RunDiskUsageEvictionUseCase eviction;
    private final JsonMapper jsonMapper;

    public DiskUsageEvictionController(RunDiskUsageEvictionUseCase eviction, JsonMapper jsonMapper) {
        this.eviction = eviction;
        this.jsonMapper = jsonMapper;
    }

    @Put("/run")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "runDiskUsageEviction", summary = "Evict evict_bytes of layer files from local disk now",
            description = "Body {\"evict_bytes\": u64}. Layers above each tenant's reserve go first, by relative"
                    + " recency; answers Neon's {\"Finished\": {before, planned, assumed}} object.")
    @ApiResponse(responseCode = "200", description = "{\"Finished\": {\"before\", \"planned\": {\"respecting_tenant_min_resident_size\","
            + " \"fallback_to_global_lru\"}, \"assumed\": {\"projected_after\", \"failed\": {\"file_sizes\", \"count\"}}}}")
    @ApiResponse(responseCode = "400", description = "Malformed body, or evict_bytes missing or not a u64")
    @ApiResponse(responseCode = "401", description = "Unauthorized (when auth is on)")
    @ApiResponse(responseCode = "403", description = "Forbidden: needs the pageserverapi scope")
    @ApiResponse(responseCode = "409", description = "A pass is running already")
    public JsonNode run(@Body @Nullable byte[] body) {
        JsonBody json = JsonBody.parse(jsonMapper, body).rejectUnknown(Set.of("evict_bytes"));
        long evictBytes = json.u64("evict_bytes")
                .orElseThrow(() -> PageserverException.badRequest("missing field `evict_bytes`"));
        return EvictionJson.finished(evictBytes, eviction.run(evictBytes));
    }
}
