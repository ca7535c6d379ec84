package org.pageserver.bootstrap.hostile;

import io.micronaut.web.router.Router;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes the running application serves, read from its router, so that an endpoint added
 * later is fuzzed without anyone listing it here.
 */
final class Routes {
    private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_]+)}");

    record Route(String method, String template) {
        boolean isIngest() {
            return template.endsWith("/wal");
        }

        boolean isPageBatch() {
            return template.endsWith("/pages");
        }

        /** The path with each variable replaced by what {@code value} gives for its name. */
        String fill(java.util.function.Function<String, String> value) {
            Matcher matcher = VARIABLE.matcher(template);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(value.apply(matcher.group(1))));
            }
            return matcher.appendTail(out).toString();
        }
    }

    private Routes() {
    }

    /** Sorted, so that a seed picks the same route on every run. */
    static List<Route> of(Router router) {
        return router.uriRoutes()
                .map(r -> new Route(r.getHttpMethodName(), r.getUriMatchTemplate().toString()))
                .distinct()
                .sorted(Comparator.comparing(Route::template).thenComparing(Route::method))
                .toList();
    }
}
