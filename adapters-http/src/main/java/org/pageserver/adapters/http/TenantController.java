package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Set;
import org.pageserver.adapters.http.json.ApiJson;
import org.pageserver.adapters.http.json.JsonBody;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.adapters.http.json.TenantConfigJson;
import org.pageserver.application.port.in.CreateTenantUseCase;
import org.pageserver.application.port.in.CreateTenantUseCase.CreateTenantCommand;
import org.pageserver.application.port.in.DeleteTenantUseCase;
import org.pageserver.application.port.in.GetTenantUseCase;
import org.pageserver.domain.id.TenantId;

/** Tenants: create, list, read, delete. Moving them between nodes is in {@link TenantLifecycleController}. */
@Controller("/v1/tenant")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TenantController {
    private static final Set<String> CREATE_KEYS = TenantConfigJson.keysWith("new_tenant_id", "generation");

    private final CreateTenantUseCase createTenant;
    private final GetTenantUseCase getTenant;
    private final DeleteTenantUseCase deleteTenant;
    private final JsonMapper jsonMapper;

    public TenantController(CreateTenantUseCase createTenant, GetTenantUseCase getTenant,
                            DeleteTenantUseCase deleteTenant, JsonMapper jsonMapper) {
        this.createTenant = createTenant;
        this.getTenant = getTenant;
        this.deleteTenant = deleteTenant;
        this.jsonMapper = jsonMapper;
    }

    @Post
    @Operation(operationId = "createTenant", summary = "Create an empty tenant; returns once it is Active",
            description = "Body: the tenant config fields flattened, plus optional new_tenant_id (generated when"
                    + " absent) and generation (u32). Unknown fields are refused.")
    @ApiResponse(responseCode = "201", description = "The new tenant's id, as a JSON string")
    @ApiResponse(responseCode = "400", description = "Malformed body, unknown field or bad value")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "409", description = "The tenant exists already")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable, please retry")
    public HttpResponse<JsonNode> create(@Body @Nullable byte[] body) {
        JsonBody json = JsonBody.parse(jsonMapper, body).rejectUnknown(CREATE_KEYS);
        CreateTenantCommand command = new CreateTenantCommand(json.tenantId("new_tenant_id").orElse(null),
                TenantConfigJson.parse(json), json.generation("generation").orElse(null));
        TenantId id = createTenant.createTenant(command);
        return HttpResponse.created(JsonNode.createStringNode(id.toString()));
    }

    @Get
    @Operation(operationId = "listTenants", summary = "Every tenant on this node, in any state, without sizes")
    @ApiResponse(responseCode = "200", description = "Array of TenantInfo; current_physical_size is null")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable, please retry")
    public JsonNode list() {
        return ApiJson.tenantInfos(getTenant.listTenants());
    }

    @Get("/{tenant_id}")
    @Operation(operationId = "getTenant", summary = "One tenant, in any state, with its physical size")
    @ApiResponse(responseCode = "200", description = "TenantInfo")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Not on this node (deviation: not in Neon's spec, as Neon did)")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable, please retry")
    public JsonNode get(@PathVariable("tenant_id") String tenantId) {
        return ApiJson.tenantInfo(getTenant.getTenant(RequestParams.tenantId(tenantId)));
    }

    @Delete("/{tenant_id}")
    @Operation(operationId = "deleteTenant", summary = "Start deleting a tenant; poll GET until 404")
    @ApiResponse(responseCode = "202", description = "Deletion started (deviation: the spec lists no success code); body null")
    @ApiResponse(responseCode = "400", description = "Bad tenant_id")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "404", description = "Tenant not found (also once deletion finished)")
    @ApiResponse(responseCode = "409", description = "Deletion is already in progress, continue polling")
    @ApiResponse(responseCode = "412", description = "Tenant is neither Active nor Broken")
    @ApiResponse(responseCode = "500", description = "Generic operation error")
    @ApiResponse(responseCode = "503", description = "Temporarily unavailable, please retry")
    public HttpResponse<JsonNode> delete(@PathVariable("tenant_id") String tenantId) {
        deleteTenant.deleteTenant(RequestParams.tenantId(tenantId));
        return HttpResponse.accepted().body(JsonNode.nullNode());
    }
}
