package org.pageserver.adapters.http;

import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Named;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.pageserver.adapters.http.json.DataPlaneJson;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.application.port.in.CheckpointTimelineUseCase;
import org.pageserver.application.port.in.CompactTimelineUseCase;
import org.pageserver.application.port.in.IngestWalUseCase;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * The write side of a timeline: batches of records in (docs/data-plane.md, "Frames" and "Batches"),
 * and Neon's checkpoint.
 */
@Controller("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
@Secured(SecurityRule.IS_ANONYMOUS)
public class WalController {
    private final IngestWalUseCase ingestWal;
    private final CheckpointTimelineUseCase checkpoint;
    private final CompactTimelineUseCase compact;
    private final ExecutorService blocking;
    private final long maxRequestSize;

    public WalController(IngestWalUseCase ingestWal, CheckpointTimelineUseCase checkpoint, CompactTimelineUseCase compact,
                         @Named(TaskExecutors.BLOCKING) ExecutorService blocking, HttpServerConfiguration server) {
        this.ingestWal = ingestWal;
        this.checkpoint = checkpoint;
        this.compact = compact;
        this.blocking = blocking;
        this.maxRequestSize = server.getMaxRequestSize();
    }

    // Any content type: the body is frames, whatever a client labels it (Neon never checks Content-Type).
    // Runs on the event loop, which only starts reading the body (WholeBody: one copy of each byte,
    // instead of @Body byte[]'s several); the batch is applied on the blocking executor once the
    // body is whole. A body error (413) comes first, then the ids, then an empty body, as before.
    @Post("/wal")
    @Consumes(MediaType.ALL)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.ALL,
            schema = @Schema(type = "string", format = "binary")))
    @Operation(operationId = "ingestWal", summary = "Ingest one batch of records; returns once it is durable",
            description = "Body: binary frames (docs/data-plane.md). The batch is applied entirely or not at all.")
    @ApiResponse(responseCode = "200", description = "The new last_record_lsn: {\"last_record_lsn\": \"X/Y\"}")
    @ApiResponse(responseCode = "400", description = "Bad id, empty body, or a bad frame (named in msg); nothing applied")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "413", description = "Body larger than micronaut.server.max-request-size")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant or timeline not Active yet, please retry")
    public CompletableFuture<JsonNode> ingest(@PathVariable("tenant_id") String tenantId,
                                              @PathVariable("timeline_id") String timelineId, HttpRequest<?> request) {
        PropagatedContext context = PropagatedContext.getOrEmpty();
        return WholeBody.read(request, maxRequestSize)
                .thenApplyAsync(body -> context.propagate(() -> apply(tenantId, timelineId, body)), blocking);
    }

    private JsonNode apply(String tenantId, String timelineId, byte[] body) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        if (body.length == 0) {
            throw PageserverException.badRequest("missing request body");
        }
        return DataPlaneJson.lastRecordLsn(ingestWal.ingest(tenant, timeline, body));
    }

    @Put("/checkpoint")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "checkpointTimeline", summary = "Write what the timeline holds in memory to layer files, now",
            description = "Neon's testing route; returns once disk_consistent_lsn has reached the last_record_lsn seen on entry.")
    @ApiResponse(responseCode = "200", description = "null")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or timeline_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant or timeline not Active yet, please retry")
    public JsonNode checkpoint(@PathVariable("tenant_id") String tenantId, @PathVariable("timeline_id") String timelineId) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        checkpoint.checkpoint(tenant, RequestParams.timelineId(timelineId));
        return JsonNode.nullNode();
    }

    @Put("/compact")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "compactTimeline", summary = "Run the timeline's compaction now",
            description = "Neon's testing route; returns once the compaction due has run: an image layer of every key at"
                    + " disk_consistent_lsn where image_creation_threshold or more delta layers lie above the newest image.")
    @ApiResponse(responseCode = "200", description = "null")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or timeline_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant or timeline not Active yet, please retry")
    public JsonNode compact(@PathVariable("tenant_id") String tenantId, @PathVariable("timeline_id") String timelineId) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        compact.compact(tenant, RequestParams.timelineId(timelineId));
        return JsonNode.nullNode();
    }
}
