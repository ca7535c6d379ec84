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
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.adapters.http.json.SizeJson;
import org.pageserver.application.port.in.GetTenantSizeUseCase;
import org.pageserver.application.port.in.GetTenantSizeUseCase.TenantSize;
import org.pageserver.domain.id.TenantId;

/** The tenant's synthetic size: {@code synthetic_size} (with the model's choices and inputs) and {@code size}. */
@Controller("/v1/tenant/{tenant_id}")
@Secured(SecurityRule.IS_ANONYMOUS)
public class SizeController {
    private final GetTenantSizeUseCase sizes;

    public SizeController(GetTenantSizeUseCase sizes) {
        this.sizes = sizes;
    }

    private TenantSize compute(String tenantId, HttpRequest<?> request) {
        TenantId tenant = RequestParams.tenantId(tenantId);
        OptionalLong retention = RequestParams.unsignedQuery(request, "retention_period", Long.MAX_VALUE);
        return sizes.tenantSize(tenant, RequestParams.flag(request, "inputs_only"),
                retention.isPresent() ? retention.getAsLong() : null);
    }

    @Get("/synthetic_size")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "tenantSyntheticSize", summary = "The tenant's synthetic size, the model's choices and its inputs")
    @Parameter(name = "inputs_only", in = ParameterIn.QUERY, description = "true: the inputs only, size null")
    @Parameter(name = "retention_period", in = ParameterIn.QUERY, description = "bytes of WAL to keep instead of GC's")
    @ApiResponse(responseCode = "200", description = "SyntheticSizeResponse")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or query parameter")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant not Active yet, please retry")
    public JsonNode syntheticSize(@PathVariable("tenant_id") String tenantId, HttpRequest<?> request) {
        return SizeJson.syntheticSize(compute(tenantId, request));
    }

    @Get("/size")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "tenantSize", summary = "The tenant's synthetic size: {id, size}")
    @Parameter(name = "inputs_only", in = ParameterIn.QUERY, description = "true: size null, and the inputs")
    @Parameter(name = "retention_period", in = ParameterIn.QUERY, description = "bytes of WAL to keep instead of GC's")
    @ApiResponse(responseCode = "200", description = "{id, size}")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or query parameter")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant not Active yet, please retry")
    public JsonNode size(@PathVariable("tenant_id") String tenantId, HttpRequest<?> request) {
        return SizeJson.size(compute(tenantId, request));
    }
}
