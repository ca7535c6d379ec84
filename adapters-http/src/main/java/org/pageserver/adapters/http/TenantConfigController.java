package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Set;
import org.pageserver.adapters.http.auth.TenantAccess;
import org.pageserver.adapters.http.auth.TenantInBody;
import org.pageserver.adapters.http.json.ApiJson;
import org.pageserver.adapters.http.json.JsonBody;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.adapters.http.json.TenantConfigJson;
import org.pageserver.application.port.in.GetTenantConfigUseCase;
import org.pageserver.application.port.in.UpdateTenantConfigUseCase;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;

/** A tenant's own settings beside its effective ones; replacing its own settings. */
@Controller("/v1/tenant")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TenantConfigController {
    private static final Set<String> UPDATE_KEYS = TenantConfigJson.keysWith("tenant_id");

    private final GetTenantConfigUseCase getConfig;
    private final UpdateTenantConfigUseCase updateConfig;
    private final JsonMapper jsonMapper;
    private final TenantAccess tenantAccess;

    public TenantConfigController(GetTenantConfigUseCase getConfig, UpdateTenantConfigUseCase updateConfig,
                                  JsonMapper jsonMapper, TenantAccess tenantAccess) {
        this.getConfig = getConfig;
        this.updateConfig = updateConfig;
        this.jsonMapper = jsonMapper;
        this.tenantAccess = tenantAccess;
    }

    @Get("/{tenant_id}/config")
    @Operation(operationId = "getTenantConfig", summary = "A tenant's own settings and its effective ones, in any state")
    @ApiResponse(responseCode = "200", description = "{\"tenant_specific_overrides\": {set fields}, \"effective_config\": {every field}}")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    public JsonNode get(@PathVariable("tenant_id") String tenantId) {
        return ApiJson.tenantConfig(getConfig.getTenantConfig(RequestParams.tenantId(tenantId)));
    }

    @Put("/config")
    @Operation(operationId = "updateTenantConfig", summary = "Replace all of an Active tenant's own settings",
            description = "Body: tenant_id plus the config fields flattened. Fields left out fall back to the"
                    + " server defaults (a replacement, not a merge). Unknown fields are refused.")
    @ApiResponse(responseCode = "200", description = "Array holding the tenant's TenantInfo")
    @ApiResponse(responseCode = "400", description = "Malformed body, unknown field or bad value")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not found")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Tenant not Active yet, please retry")
    @TenantInBody
    public JsonNode update(@Body @Nullable byte[] body, @Nullable Authentication caller) {
        JsonBody json = JsonBody.parse(jsonMapper, body).rejectUnknown(UPDATE_KEYS);
        TenantId tenantId = json.tenantId("tenant_id")
                .orElseThrow(() -> PageserverException.badRequest("missing field `tenant_id`"));
        TenantConfOverrides overrides = TenantConfigJson.parse(json);
        tenantAccess.check(caller, tenantId);
        return ApiJson.tenantInfos(List.of(updateConfig.updateTenantConfig(tenantId, overrides)));
    }
}
