package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.pageserver.adapters.http.json.ApiJson;
import org.pageserver.adapters.http.json.JsonBody;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.application.port.in.GcTimelineUseCase;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** Neon's do_gc: garbage-collect one timeline now. */
@Controller("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
@Secured(SecurityRule.IS_ANONYMOUS)
public class GcController {
    private final GcTimelineUseCase gc;
    private final JsonMapper jsonMapper;

    public GcController(GcTimelineUseCase gc, JsonMapper jsonMapper) {
        this.gc = gc;
        this.jsonMapper = jsonMapper;
    }

    @Put("/do_gc")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "gcTimeline", summary = "Garbage-collect the timeline now",
            description = "Body optional: {\"gc_horizon\": bytes of WAL to keep, or null for the tenant's gc_horizon};"
                    + " other fields are ignored, as in Neon."
                    + " Answers Neon's GcResult object (the spec says a string; see docs/api-deviations.md).")
    @ApiResponse(responseCode = "200", description = "GcResult: layers_total, layers_needed_by_cutoff,"
            + " layers_needed_by_pitr, layers_needed_by_branches, layers_not_updated, layers_removed, elapsed (ms)")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id, timeline_id or body")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant or timeline not Active yet, please retry")
    public JsonNode doGc(@PathVariable("tenant_id") String tenantId, @PathVariable("timeline_id") String timelineId,
                         @Body @Nullable byte[] body) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        Long horizon = body == null || body.length == 0 ? null
                : JsonBody.parse(jsonMapper, body).u64("gc_horizon").orElse(null);
        return ApiJson.gcResult(gc.gc(tenant, timeline, horizon));
    }
}
