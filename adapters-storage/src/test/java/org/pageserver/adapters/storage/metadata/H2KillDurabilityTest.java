package org.pageserver.adapters.storage.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.tenant.TenantMetadata;

/**
 * The ports promise that a save returns only once it survives a crash. This kills a JVM with
 * SIGKILL while it saves in a loop and checks that every save it had reported as done is there.
 * Without WRITE_DELAY=0 in {@link H2Database#fileUrl} this fails: H2 would write the last
 * commits up to 500 ms after they returned.
 */
class H2KillDurabilityTest {
    private static final int ACKNOWLEDGED_BEFORE_KILL = 50;
    /** What {@link Process#exitValue()} reports for a process ended by signal 9. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;

    @TempDir
    Path dir;

    @Test
    void everySaveThatReturnedSurvivesAKillMinus9() throws Exception {
        Path base = dir.resolve("metadata");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SaveUntilKilled.class.getName(), base.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<TenantId> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL) {
                String line = out.readLine();
                assertNotNull(line, "the child ended before it was killed");
                if (line.startsWith(SaveUntilKilled.SAVED)) {
                    acknowledged.add(TenantId.parse(line.substring(SaveUntilKilled.SAVED.length())));
                }
            }
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
        }
        assertEquals(KILLED_BY_SIGKILL, child.exitValue(), "the child was ended by SIGKILL, not by a clean exit");

        Map<String, Object> properties = Map.copyOf(H2Database.datasourceProperties(base));
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            Set<TenantId> stored = context.getBean(LoadTenantPort.class).loadTenants().stream()
                    .map(TenantMetadata::id).collect(Collectors.toSet());
            Set<TenantId> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            assertTrue(lost.isEmpty(), () -> lost.size() + " of " + acknowledged.size()
                    + " saves that had returned before the kill are lost, for example " + lost.iterator().next());
        }
    }
}
