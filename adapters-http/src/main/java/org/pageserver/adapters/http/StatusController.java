package org.pageserver.adapters.http;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;

/** Health check: answers anyone, with this node's id. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatusController {
    private final long nodeId;

    public StatusController(@Value("${pageserver.id:1}") long nodeId) {
        this.nodeId = nodeId;
    }

    @Get("/v1/status")
    @Operation(operationId = "getStatus", summary = "Health check")
    @ApiResponse(responseCode = "200", description = "{\"id\": node id}")
    public JsonNode status() {
        return JsonNode.createObjectNode(Map.of("id", JsonNode.createNumberNode(nodeId)));
    }
}
