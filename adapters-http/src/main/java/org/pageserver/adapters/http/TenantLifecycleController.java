package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Optional;
import java.util.Set;
import org.pageserver.adapters.http.json.JsonBody;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.adapters.http.json.TenantConfigJson;
import org.pageserver.application.port.in.AttachTenantUseCase;
import org.pageserver.application.port.in.DetachTenantUseCase;
import org.pageserver.application.port.in.IgnoreTenantUseCase;
import org.pageserver.application.port.in.LoadTenantUseCase;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;

/**
 * A tenant's coming and going on this node: attach from remote storage and detach, ignore (unload,
 * keeping local data) and load again.
 */
@Controller("/v1/tenant")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TenantLifecycleController {
    private static final Set<String> ATTACH_KEYS = Set.of("config", "generation");
    private static final Set<String> LOAD_KEYS = Set.of("generation");

    private final AttachTenantUseCase attachTenant;
    private final DetachTenantUseCase detachTenant;
    private final IgnoreTenantUseCase ignoreTenant;
    private final LoadTenantUseCase loadTenant;
    private final JsonMapper jsonMapper;

    public TenantLifecycleController(AttachTenantUseCase attachTenant, DetachTenantUseCase detachTenant,
                                     IgnoreTenantUseCase ignoreTenant, LoadTenantUseCase loadTenant,
                                     JsonMapper jsonMapper) {
        this.attachTenant = attachTenant;
        this.detachTenant = detachTenant;
        this.ignoreTenant = ignoreTenant;
        this.loadTenant = loadTenant;
        this.jsonMapper = jsonMapper;
    }

    @Post("/{tenant_id}/attach")
    @Operation(operationId = "attachTenant", summary = "Attach a tenant from remote storage; poll GET until Active",
            description = "Body: empty, or {\"config\": {tenant config fields}, \"generation\": u32}; without a"
                    + " generation, one above the newest in remote storage. Unknown fields are refused.")
    @ApiResponse(responseCode = "202", description = "Attaching started; body null. The tenant is listed as Attaching")
    @ApiResponse(responseCode = "400", description = "Malformed body, unknown field, bad value, or no remote storage")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "409", description = "The tenant is on this node already (loaded or ignored)")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable, please retry")
    public HttpResponse<JsonNode> attach(@PathVariable("tenant_id") String tenantId, @Body @Nullable byte[] body) {
        TenantId id = RequestParams.tenantId(tenantId);
        Optional<JsonBody> json = JsonBody.parseOptional(jsonMapper, body).map(b -> b.rejectUnknown(ATTACH_KEYS));
        TenantConfOverrides overrides = json.flatMap(b -> b.object("config"))
                .map(config -> TenantConfigJson.parse(config.rejectUnknown(TenantConfigJson.keysWith())))
                .orElse(TenantConfOverrides.none());
        Generation generation = json.flatMap(b -> b.generation("generation")).orElse(null);
        attachTenant.attachTenant(id, overrides, generation);
        return HttpResponse.accepted().body(JsonNode.nullNode());
    }

    @Post("/{tenant_id}/detach")
    @Operation(operationId = "detachTenant", summary = "Detach a tenant: its local data goes, remote storage keeps it",
            description = "With detach_ignored=true an ignored tenant is detached too.")
    @ApiResponse(responseCode = "200", description = "Detached; body null")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id or detach_ignored")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not found, or ignored and detach_ignored not set")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active or Broken yet, please retry")
    public HttpResponse<JsonNode> detach(@PathVariable("tenant_id") String tenantId, HttpRequest<?> request) {
        TenantId id = RequestParams.tenantId(tenantId);
        detachTenant.detachTenant(id, RequestParams.flag(request, "detach_ignored"));
        return HttpResponse.ok(JsonNode.nullNode());
    }

    @Post("/{tenant_id}/ignore")
    @Operation(operationId = "ignoreTenant", summary = "Unload a tenant, keeping its local data; no start loads it"
            + " until a load")
    @ApiResponse(responseCode = "200", description = "Ignored; body null")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not loaded on this node")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Not Active or Broken yet, please retry")
    public HttpResponse<JsonNode> ignore(@PathVariable("tenant_id") String tenantId) {
        ignoreTenant.ignoreTenant(RequestParams.tenantId(tenantId));
        return HttpResponse.ok(JsonNode.nullNode());
    }

    @Post("/{tenant_id}/load")
    @Operation(operationId = "loadTenant", summary = "Load an ignored tenant from local data; poll GET until Active",
            description = "Body: empty, or {\"generation\": u32}; without a generation, one above the newest this"
                    + " node knows of. Unknown fields are refused.")
    @ApiResponse(responseCode = "202", description = "Loading started; body null. The tenant is listed as Attaching")
    @ApiResponse(responseCode = "400", description = "Malformed body, unknown field or bad value")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "No ignored tenant of that id on this node")
    @ApiResponse(responseCode = "409", description = "The tenant is loaded already")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable, please retry")
    public HttpResponse<JsonNode> load(@PathVariable("tenant_id") String tenantId, @Body @Nullable byte[] body) {
        TenantId id = RequestParams.tenantId(tenantId);
        Generation generation = JsonBody.parseOptional(jsonMapper, body)
                .flatMap(b -> b.rejectUnknown(LOAD_KEYS).generation("generation"))
                .orElse(null);
        loadTenant.loadTenant(id, generation);
        return HttpResponse.accepted().body(JsonNode.nullNode());
    }
}
