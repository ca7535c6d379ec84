package org.pageserver.adapters.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.pageserver.adapters.http.json.LayerJson;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.application.port.in.EvictLayerUseCase;
import org.pageserver.application.port.in.GetLayerMapUseCase;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** Neon's layer endpoints, beside the spec: a timeline's layers, and one evicted or downloaded. */
@Controller("/v1/tenant/{tenant_id}/timeline/{timeline_id}/layer")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LayerController {
    private final GetLayerMapUseCase layerMap;
    private final EvictLayerUseCase layers;

    public LayerController(GetLayerMapUseCase layerMap, EvictLayerUseCase layers) {
        this.layerMap = layerMap;
        this.layers = layers;
    }

    @Get
    @Operation(operationId = "listLayers", summary = "The timeline's layers: in memory, and the layer files with their"
            + " residence and last access")
    @ApiResponse(responseCode = "200", description = "{in_memory_layers, historic_layers}")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or timeline_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant or timeline not Active yet, please retry")
    public JsonNode list(@PathVariable("tenant_id") String tenantId, @PathVariable("timeline_id") String timelineId) {
        return LayerJson.layerMap(layerMap.layerMap(RequestParams.tenantId(tenantId), RequestParams.timelineId(timelineId)));
    }

    @Get("/{layer_file_name}")
    @Operation(operationId = "downloadLayer", summary = "Download the layer file if it is not on local disk")
    @ApiResponse(responseCode = "200", description = "Downloaded; body null")
    @ApiResponse(responseCode = "304", description = "It was on local disk already")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id, timeline_id or layer file name")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant, timeline or layer not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, or the download failed; please retry")
    public HttpResponse<JsonNode> download(@PathVariable("tenant_id") String tenantId,
                                           @PathVariable("timeline_id") String timelineId,
                                           @PathVariable("layer_file_name") String layerFileName) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        boolean downloaded = layers.downloadLayer(tenant, timeline, LayerJson.layerName(layerFileName));
        return downloaded ? HttpResponse.ok(JsonNode.nullNode()) : HttpResponse.status(HttpStatus.NOT_MODIFIED);
    }

    @Delete("/{layer_file_name}")
    @Operation(operationId = "evictLayer", summary = "Evict the layer file from local disk; the next read that needs"
            + " it downloads it")
    @ApiResponse(responseCode = "200", description = "Evicted; body null")
    @ApiResponse(responseCode = "304", description = "It was not on local disk")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id, timeline_id or layer file name")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant, timeline or layer not found")
    @ApiResponse(responseCode = "409", description = "Not uploaded to remote storage yet: it cannot be evicted")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant or timeline not Active yet, please retry")
    public HttpResponse<JsonNode> evict(@PathVariable("tenant_id") String tenantId,
                                        @PathVariable("timeline_id") String timelineId,
                                        @PathVariable("layer_file_name") String layerFileName) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        boolean evicted = layers.evictLayer(tenant, timeline, LayerJson.layerName(layerFileName));
        return evicted ? HttpResponse.ok(JsonNode.nullNode()) : HttpResponse.status(HttpStatus.NOT_MODIFIED);
    }
}
