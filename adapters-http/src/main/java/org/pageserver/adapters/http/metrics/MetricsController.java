package org.pageserver.adapters.http.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * {@code GET /metrics}: the Prometheus text format, readable without a token as Neon's is (with
 * NeonJWT, {@code NeonJwtSecurityRule} lets it through).
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
final class MetricsController {
    /** The version of the text format the registry writes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get("/metrics")
    @Produces(PROMETHEUS_TEXT)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "metrics", summary = "The node's metrics in the Prometheus text format")
    @ApiResponse(responseCode = "200", description = "The metrics")
    String metrics() {
        return registry.scrape();
    }
}
