package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.pageserver.adapters.http.json.DataPlaneJson;
import org.pageserver.adapters.http.json.PageParams;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.application.port.in.ReadPagesUseCase;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.page.RelTag;

/**
 * Reads at an LSN (docs/data-plane.md, "Reads"): Neon's pagestream GetPage, Nblocks, Exists and DbSize
 * over HTTP. Pages travel as raw bytes; every other answer and every error is JSON. The single
 * reads, and batches of up to {@link #EVENT_LOOP_BATCH} pages, run on the event loop when nothing in
 * them waits ({@link ReadNowOrLater}); longer batches on the blocking pool.
 */
@Controller("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
@Secured(SecurityRule.IS_ANONYMOUS)
public class PageController {
    private static final String REL = "spc/db/rel/fork, e.g. 1663/16384/16385/0";
    private static final String LSN = "X/Y; absent: the latest";

    /**
     * A batch of more pages than this goes straight to the blocking pool: read on the event loop
     * it would hold up the other connections the loop serves (a page from a layer file takes about
     * 10 us of CPU, so 128 of them a millisecond or so).
     */
    public static final int EVENT_LOOP_BATCH = 128;

    private final ReadPagesUseCase readPages;
    private final ReadNowOrLater reads;

    PageController(ReadPagesUseCase readPages, ReadNowOrLater reads) {
        this.readPages = readPages;
        this.reads = reads;
    }

    @Get("/page")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(operationId = "getPage", summary = "One 8192-byte page as of an LSN")
    @Parameter(name = "rel", in = ParameterIn.QUERY, required = true, description = REL)
    @Parameter(name = "blkno", in = ParameterIn.QUERY, required = true, description = "u32 block number")
    @Parameter(name = "lsn", in = ParameterIn.QUERY, description = LSN)
    @ApiResponse(responseCode = "200", description = "The 8192-byte page",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "Bad id or query parameter (named in msg), or LSN below the GC cutoff")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant, timeline, relation or block not found at that LSN")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, or the LSN has not arrived in time; please retry")
    public CompletableFuture<byte[]> page(@PathVariable("tenant_id") String tenantId,
                                          @PathVariable("timeline_id") String timelineId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        RelTag rel = PageParams.rel(request);
        long blkno = PageParams.blkno(request);
        Lsn lsn = PageParams.lsn(request);
        return reads.read(() -> readPages.getPage(tenant, timeline, rel, blkno, lsn));
    }

    @Get("/rel_size")
    @Operation(operationId = "getRelSize", summary = "A relation's size in blocks as of an LSN")
    @Parameter(name = "rel", in = ParameterIn.QUERY, required = true, description = REL)
    @Parameter(name = "lsn", in = ParameterIn.QUERY, description = LSN)
    @ApiResponse(responseCode = "200", description = "{\"nblocks\": N}")
    @ApiResponse(responseCode = "400", description = "Bad id or query parameter (named in msg), or LSN below the GC cutoff")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant, timeline or relation not found at that LSN")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, or the LSN has not arrived in time; please retry")
    public CompletableFuture<JsonNode> relSize(@PathVariable("tenant_id") String tenantId,
                                               @PathVariable("timeline_id") String timelineId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        RelTag rel = PageParams.rel(request);
        Lsn lsn = PageParams.lsn(request);
        return reads.read(() -> DataPlaneJson.nblocks(readPages.relSize(tenant, timeline, rel, lsn)));
    }

    @Get("/rel_exists")
    @Operation(operationId = "getRelExists", summary = "Whether a relation exists as of an LSN")
    @Parameter(name = "rel", in = ParameterIn.QUERY, required = true, description = REL)
    @Parameter(name = "lsn", in = ParameterIn.QUERY, description = LSN)
    @ApiResponse(responseCode = "200", description = "{\"exists\": true|false}")
    @ApiResponse(responseCode = "400", description = "Bad id or query parameter (named in msg), or LSN below the GC cutoff")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, or the LSN has not arrived in time; please retry")
    public CompletableFuture<JsonNode> relExists(@PathVariable("tenant_id") String tenantId,
                                                 @PathVariable("timeline_id") String timelineId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        RelTag rel = PageParams.rel(request);
        Lsn lsn = PageParams.lsn(request);
        return reads.read(() -> DataPlaneJson.exists(readPages.relExists(tenant, timeline, rel, lsn)));
    }

    @Get("/db_size")
    @Operation(operationId = "getDbSize", summary = "A database's size in bytes as of an LSN (0 without relations)")
    @Parameter(name = "spcnode", in = ParameterIn.QUERY, required = true, description = "u32 tablespace OID")
    @Parameter(name = "dbnode", in = ParameterIn.QUERY, required = true, description = "u32 database OID")
    @Parameter(name = "lsn", in = ParameterIn.QUERY, description = LSN)
    @ApiResponse(responseCode = "200", description = "{\"bytes\": N}")
    @ApiResponse(responseCode = "400", description = "Bad id or query parameter (named in msg), or LSN below the GC cutoff")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, or the LSN has not arrived in time; please retry")
    public CompletableFuture<JsonNode> dbSize(@PathVariable("tenant_id") String tenantId,
                                              @PathVariable("timeline_id") String timelineId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        long spcnode = PageParams.oid(request, "spcnode");
        long dbnode = PageParams.oid(request, "dbnode");
        Lsn lsn = PageParams.lsn(request);
        return reads.read(() -> DataPlaneJson.bytes(readPages.dbSize(tenant, timeline, spcnode, dbnode, lsn)));
    }

    // Any content type, as for the WAL: the body is binary requests whatever its label.
    @Post("/pages")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(operationId = "getPages", summary = "Many pages in one request",
            description = "Body: 25-byte requests, big-endian: spcnode:u32 dbnode:u32 relnode:u32 forknum:u8"
                    + " blkno:u32 lsn:u64 (0: the latest). The first failing request fails the whole batch.")
    @ApiResponse(responseCode = "200", description = "The pages concatenated in request order",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "Bad id, or a body that is not a whole number of requests, or LSN below the GC cutoff")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant, timeline, relation or block not found")
    @ApiResponse(responseCode = "413", description = "Body larger than micronaut.server.max-request-size")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, or an LSN has not arrived in time; please retry")
    public CompletableFuture<byte[]> pages(@PathVariable("tenant_id") String tenantId,
                                           @PathVariable("timeline_id") String timelineId,
                                           @Body @Nullable @Schema(type = "string", format = "binary") byte[] body) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        if (body == null || body.length == 0) {
            throw PageserverException.badRequest("missing request body");
        }
        List<PageRequest> requests = PageRequest.decodeAll(body);
        Supplier<byte[]> read = () -> readPages.getPages(tenant, timeline, requests);
        return requests.size() <= EVENT_LOOP_BATCH ? reads.read(read) : reads.later(read);
    }
}
