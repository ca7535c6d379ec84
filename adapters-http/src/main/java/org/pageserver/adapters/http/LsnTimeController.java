package org.pageserver.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.OptionalLong;
import org.pageserver.adapters.http.json.CommitTimes;
import org.pageserver.adapters.http.json.DataPlaneJson;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.application.port.in.FindLsnByTimestampUseCase;
import org.pageserver.application.port.in.GetTimestampOfLsnUseCase;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;

/** Neon's two lookups between LSNs and commit times, from the timeline's COMMIT records. */
@Controller("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LsnTimeController {
    /** The only version that answers Neon's first form, a bare string (docs/api-deviations.md). */
    private static final long STRING_FORM_VERSION = 1;
    private static final long U8_MAX = 0xFF;

    private final GetTimestampOfLsnUseCase timestampOfLsn;
    private final FindLsnByTimestampUseCase lsnByTimestamp;

    public LsnTimeController(GetTimestampOfLsnUseCase timestampOfLsn, FindLsnByTimestampUseCase lsnByTimestamp) {
        this.timestampOfLsn = timestampOfLsn;
        this.lsnByTimestamp = lsnByTimestamp;
    }

    @Get("/get_timestamp_of_lsn")
    @Operation(operationId = "getTimestampOfLsn", summary = "The time of the newest commit at or below an LSN")
    @Parameter(name = "lsn", in = ParameterIn.QUERY, required = true,
            description = "X/Y, or the LSN as a decimal integer (the spec's form)")
    @ApiResponse(responseCode = "200", description = "RFC 3339 UTC time as a JSON string, e.g. \"2023-11-07T14:43:29.123456000Z\"")
    @ApiResponse(responseCode = "400", description = "Bad id, missing or malformed lsn, or lsn 0/0 (Invalid LSN)")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Timeline not found, or no commit at or below the LSN")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, or the LSN has not arrived in time; please retry")
    public JsonNode timestampOfLsn(@PathVariable("tenant_id") String tenantId,
                                   @PathVariable("timeline_id") String timelineId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        Lsn lsn = RequestParams.lsn("lsn", RequestParams.requiredQuery(request, "lsn"), true);
        long micros = timestampOfLsn.getTimestampOfLsn(tenant, timeline, lsn).orElseThrow(() ->
                PageserverException.notFound("no commit timestamp at or below LSN " + lsn + " in timeline "
                        + tenant + "/" + timeline));
        return DataPlaneJson.commitTime(micros);
    }

    @Get("/get_lsn_by_timestamp")
    @Operation(operationId = "getLsnByTimestamp", summary = "The LSN between the commits before a time and those at or after it")
    @Parameter(name = "timestamp", in = ParameterIn.QUERY, required = true,
            description = "YYYY-MM-DDTHH:MM:SS[.fraction]Z, UTC, from 1970")
    @Parameter(name = "version", in = ParameterIn.QUERY,
            description = "u8; 1 answers Neon's first form, a JSON string; anything else the object")
    @ApiResponse(responseCode = "200", description = "{\"lsn\": \"X/Y\", \"kind\": \"present|past|future|nodata\"};"
            + " with version=1 a JSON string, the LSN if present, else the kind")
    @ApiResponse(responseCode = "400", description = "Bad id, or missing or malformed timestamp (Invalid time) or version")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant or timeline not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active yet, please retry")
    public JsonNode lsnByTimestamp(@PathVariable("tenant_id") String tenantId,
                                   @PathVariable("timeline_id") String timelineId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        TimelineId timeline = RequestParams.timelineId(timelineId);
        long micros = CommitTimes.parseMicros(RequestParams.requiredQuery(request, "timestamp"));
        OptionalLong version = RequestParams.unsignedQuery(request, "version", U8_MAX);
        LsnByTimestamp answer = lsnByTimestamp.findLsnByTimestamp(tenant, timeline, micros);
        return version.isPresent() && version.getAsLong() == STRING_FORM_VERSION
                ? DataPlaneJson.lsnByTimestampV1(answer) : DataPlaneJson.lsnByTimestamp(answer);
    }
}
