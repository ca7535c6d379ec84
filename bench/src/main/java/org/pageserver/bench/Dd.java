package org.pageserver.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code dd} writing zeros on the disk under test: the baseline the server's write rates are put beside. */
final class Dd {
    private Dd() {
    }

    /**
     * Runs one dd process per argument list at the same time, each to its own file in {@code dir}
     * (deleted after); MB/s of what they wrote together, over the time until the last is done.
     */
    @SafeVarargs
    static double megabytesPerSecond(Path dir, List<String>... arguments) throws Exception {
        Files.createDirectories(dir);
        List<Path> targets = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < arguments.length; i++) {
            Path target = dir.resolve("dd-" + i + ".bench");
            List<String> command = new ArrayList<>(List.of("dd", "if=/dev/zero", "of=" + target));
            command.addAll(arguments[i]);
            targets.add(target);
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        for (Process dd : processes) {
            dd.getInputStream().readAllBytes();
            if (dd.waitFor() != 0) {
                throw new IllegalStateException("dd failed");
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long bytes = 0;
        for (Path target : targets) {
            bytes += Files.size(target);
            Files.deleteIfExists(target);
        }
        return bytes / secs / 1e6;
    }
}
