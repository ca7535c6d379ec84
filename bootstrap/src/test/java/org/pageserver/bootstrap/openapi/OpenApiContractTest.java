package org.pageserver.bootstrap.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Compares the API description generated from the controllers with Neon's spec (the contract,
 * at {@code ../shared/reference/pageserver-openapi.yml}). Every operation or status code on one
 * side only must be listed in {@code docs/api-deviations.md} as a deliberate deviation
 * ({@code - LINE}: in the spec, not served; {@code + LINE}: served, not in the spec), and every
 * listed deviation must still be one, so the list never goes stale.
 */
class OpenApiContractTest {
    static final String GENERATED = "META-INF/swagger/pageserver-v1.yml";

    @Test
    void generatedApiMatchesTheSpecUpToTheListedDeviations() throws IOException {
        Set<String> spec = OpenApiOperations.of(Files.readString(findUpwards("shared/reference/pageserver-openapi.yml")));
        Set<String> ours = OpenApiOperations.of(generated());
        Deviations listed = Deviations.read(findUpwards("docs/api-deviations.md"));

        List<String> problems = new ArrayList<>();
        for (String line : difference(spec, ours)) {
            if (!listed.missing().contains(line) && !listed.missing().contains(operationOf(line))) {
                problems.add("in the spec but not served, and not listed as a deviation: - " + line);
            }
        }
        for (String line : difference(ours, spec)) {
            if (!listed.extra().contains(line) && !listed.extra().contains(operationOf(line))) {
                problems.add("served but not in the spec, and not listed as a deviation: + " + line);
            }
        }
        for (String line : listed.missing()) {
            if (!spec.contains(line) || ours.contains(line)) {
                problems.add("listed as missing but it is not a difference (stale): - " + line);
            }
        }
        for (String line : listed.extra()) {
            if (!ours.contains(line) || spec.contains(line)) {
                problems.add("listed as extra but it is not a difference (stale): + " + line);
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void theComparisonSeesOperationsAndStatusCodes() {
        Set<String> lines = OpenApiOperations.of("paths:\n  /v1/x/:\n    get:\n      responses:\n        \"200\": {}\n");
        assertEquals(Set.of("GET /v1/x", "GET /v1/x 200"), lines);
    }

    private static String operationOf(String line) {
        String[] parts = line.split(" ");
        return parts.length == 3 ? parts[0] + " " + parts[1] : line;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static String generated() throws IOException {
        try (InputStream in = OpenApiContractTest.class.getClassLoader().getResourceAsStream(GENERATED)) {
            assertNotNull(in, GENERATED + " is not on the classpath: is micronaut-openapi processing adapters-http?");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Looks for a file in the working directory and its parents: the module, the checkout, and the folder beside it. */
    static Path findUpwards(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError(relative + " was not found in " + Path.of("").toAbsolutePath() + " or its parents");
    }

    @Test
    void findsTheSeedSpec() {
        assertTrue(Files.isRegularFile(findUpwards("shared/reference/pageserver-openapi.yml")));
    }
}
