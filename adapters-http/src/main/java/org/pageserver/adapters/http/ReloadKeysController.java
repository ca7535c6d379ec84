package org.pageserver.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.pageserver.adapters.http.auth.KeyLoadException;
import org.pageserver.adapters.http.auth.ValidationKeys;
import org.pageserver.domain.error.PageserverException;

/**
 * Re-reads the token validation keys, e.g. after the control plane rotated them. Global: with
 * NeonJWT only a {@code pageserverapi} token reaches it (the security rule sees no tenant in its path).
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReloadKeysController {
    private final ValidationKeys keys;

    /** {@code keys} is absent with {@code Trust}: there is nothing to reload. */
    public ReloadKeysController(@Nullable ValidationKeys keys) {
        this.keys = keys;
    }

    @Post("/v1/reload_auth_validation_keys")
    @Operation(operationId = "reloadAuthValidationKeys", summary = "Re-read the JWT validation keys and swap them in at once",
            description = "Tokens of a new key pass at once, tokens of a removed key get 401. On any error the keys in"
                    + " force stay.")
    @ApiResponse(responseCode = "200", description = "Reloaded; body null")
    @ApiResponse(responseCode = "400", description = "Authentication is off (Trust)")
    @ApiResponse(responseCode = "401", description = "Unauthorized")
    @ApiResponse(responseCode = "403", description = "Forbidden")
    @ApiResponse(responseCode = "500", description = "The keys could not be read; the old ones stay")
    public JsonNode reload() {
        if (keys == null) {
            throw PageserverException.badRequest("Cannot reload keys: http-auth-type is Trust, no keys are in use");
        }
        try {
            keys.reload();
        } catch (KeyLoadException e) {
            throw PageserverException.internal("Cannot reload keys, the old ones stay in force: " + e.getMessage(), e);
        }
        return JsonNode.nullNode();
    }
}
