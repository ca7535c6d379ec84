package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.pageserver.adapters.http.json.ApiJson;
import org.pageserver.adapters.http.json.JsonBody;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.application.port.in.CreateTimelineUseCase;
import org.pageserver.application.port.in.CreateTimelineUseCase.CreateTimelineCommand;
import org.pageserver.application.port.in.DeleteTimelineUseCase;
import org.pageserver.application.port.in.GetTimelineUseCase;
import org.pageserver.domain.id.TenantId;

/** Timelines of a tenant: create (root or branch), list, read, delete. */
@Controller("/v1/tenant/{tenant_id}/timeline")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TimelineController {
    static final String NON_INCREMENTAL_SIZE = "include-non-incremental-logical-size";

    private final CreateTimelineUseCase createTimeline;
    private final GetTimelineUseCase getTimeline;
    private final DeleteTimelineUseCase deleteTimeline;
    private final JsonMapper jsonMapper;

    public TimelineController(CreateTimelineUseCase createTimeline, GetTimelineUseCase getTimeline,
                              DeleteTimelineUseCase deleteTimeline, JsonMapper jsonMapper) {
        this.createTimeline = createTimeline;
        this.getTimeline = getTimeline;
        this.deleteTimeline = deleteTimeline;
        this.jsonMapper = jsonMapper;
    }

    @Post
    @Operation(operationId = "createTimeline", summary = "Create a root timeline, or a branch of an existing one",
            description = "Body: new_timeline_id (generated when absent), ancestor_timeline_id, ancestor_start_lsn"
                    + " (\"X/Y\"), pg_version. Unknown fields are accepted, as in Neon.")
    @ApiResponse(responseCode = "201", description = "TimelineInfo of the new timeline")
    @ApiResponse(responseCode = "400", description = "Malformed body or bad value")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or ancestor timeline not found")
    @ApiResponse(responseCode = "406", description = "Branch start LSN below the ancestor's branch point or GC cutoff")
    @ApiResponse(responseCode = "409", description = "The timeline exists already")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant or ancestor not Active, or start LSN not reached yet")
    public HttpResponse<JsonNode> create(@PathVariable("tenant_id") String tenantId, @Body @Nullable byte[] body) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        JsonBody json = JsonBody.parse(jsonMapper, body);
        CreateTimelineCommand command = new CreateTimelineCommand(tenant,
                json.timelineId("new_timeline_id").orElse(null),
                json.timelineId("ancestor_timeline_id").orElse(null),
                json.lsn("ancestor_start_lsn").orElse(null),
                json.u32AsInt("pg_version").orElse(null));
        return HttpResponse.created(ApiJson.timelineInfo(createTimeline.createTimeline(command)));
    }

    @Get
    @Operation(operationId = "listTimelines", summary = "Every timeline of an Active tenant, in any state")
    @Parameter(name = NON_INCREMENTAL_SIZE, in = ParameterIn.QUERY, description = "true or false")
    @ApiResponse(responseCode = "200", description = "Array of TimelineInfo")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or query parameter")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant not Active yet, please retry")
    public JsonNode list(@PathVariable("tenant_id") String tenantId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        return ApiJson.timelineInfos(getTimeline.listTimelines(tenant, RequestParams.flag(request, NON_INCREMENTAL_SIZE)));
    }

    @Get("/{timeline_id}")
    @Operation(operationId = "getTimeline", summary = "One timeline of an Active tenant, in any state")
    @Parameter(name = NON_INCREMENTAL_SIZE, in = ParameterIn.QUERY, description = "true or false")
    @ApiResponse(responseCode = "200", description = "TimelineInfo")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id, timeline_id or query parameter")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found (deviation: not in the spec, as Neon did)")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant not Active yet, please retry")
    public JsonNode get(@PathVariable("tenant_id") String tenantId, @PathVariable("timeline_id") String timelineId,
                        HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        return ApiJson.timelineInfo(getTimeline.getTimeline(tenant, RequestParams.timelineId(timelineId),
                RequestParams.flag(request, NON_INCREMENTAL_SIZE)));
    }

    @Delete("/{timeline_id}")
    @Operation(operationId = "deleteTimeline", summary = "Start deleting a timeline without children; poll GET until 404")
    @ApiResponse(responseCode = "202", description = "Deletion started (deviation: the spec lists no success code); body null")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or timeline_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Timeline not found")
    @ApiResponse(responseCode = "409", description = "Deletion is already in progress, continue polling")
    @ApiResponse(responseCode = "412", description = "Tenant is missing, or timeline has children")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant not Active yet, please retry")
    public HttpResponse<JsonNode> delete(@PathVariable("tenant_id") String tenantId,
                                         @PathVariable("timeline_id") String timelineId) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        deleteTimeline.deleteTimeline(tenant, RequestParams.timelineId(timelineId));
        return HttpResponse.accepted().body(JsonNode.nullNode());
    }
}
