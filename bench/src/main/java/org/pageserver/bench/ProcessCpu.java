package org.pageserver.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of another process on Linux, in total and by thread group, read from
 * {@code /proc/<pid>/stat} and {@code /proc/<pid>/task/<tid>/stat} (utime + stime, fields 14 and 15, in
 * clock ticks of 10 ms). A thread group is a thread's {@code comm} (the kernel keeps its first 15
 * characters) with trailing digits stripped, so that {@code GC Thread#0} and {@code GC Thread#1} add up.
 */
final class ProcessCpu {
    /** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
    static final double SECONDS_PER_TICK = 0.01;

    /** Threads that left the process between two snapshots: their time is in the total only. */
    static final String EXITED = "(threads that exited)";

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    /** What one look at /proc saw. */
    record Snapshot(long totalTicks, Map<String, Task> tasks) {
    }

    /** One thread: its group, and its ticks. Keyed by tid and start time, so that a reused tid is a new thread. */
    record Task(String group, long ticks) {
    }

    /** The difference of two snapshots: total ticks, and ticks by thread group, largest first. */
    record Usage(long totalTicks, Map<String, Long> byGroup) {
        double seconds() {
            return totalTicks * SECONDS_PER_TICK;
        }

        double seconds(String group) {
            return byGroup.getOrDefault(group, 0L) * SECONDS_PER_TICK;
        }
    }

    Snapshot snapshot() throws IOException {
        long total = ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        Map<String, Task> tasks = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : dir) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException | java.nio.file.AccessDeniedException gone) {
                    continue;
                } catch (IOException gone) {
                    // ESRCH: the thread exited between listing and reading.
                    continue;
                }
                String[] after = afterComm(stat);
                // after[0] is field 3 (state); field 22 (starttime) is after[19].
                tasks.put(task.getFileName() + "@" + after[19], new Task(group(comm(stat)), ticks(stat)));
            }
        }
        return new Snapshot(total, tasks);
    }

    /** What the process spent between {@code before} and {@code after}. */
    static Usage between(Snapshot before, Snapshot after) {
        Map<String, Long> byGroup = new HashMap<>();
        long seen = 0;
        for (Map.Entry<String, Task> e : after.tasks().entrySet()) {
            Task then = before.tasks().get(e.getKey());
            long spent = e.getValue().ticks() - (then == null ? 0 : then.ticks());
            if (spent > 0) {
                byGroup.merge(e.getValue().group(), spent, Long::sum);
                seen += spent;
            }
        }
        long total = after.totalTicks() - before.totalTicks();
        if (total - seen > 0) {
            byGroup.merge(EXITED, total - seen, Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Usage(Math.max(total, seen), sorted);
    }

    /**
     * CPU ticks that the whole machine spent busy (user, nice, system, irq, softirq and steal of the
     * {@code cpu} line of /proc/stat): with the benchmark's own, it says how much other processes took.
     */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            // cpu user nice system idle iowait irq softirq steal ...
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The CPU time this JVM (the bench's client) has used, in nanoseconds. */
    static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * What one phase of a bench took: its wall seconds, the server's CPU (null when it is not
     * watched), this JVM's CPU seconds, and the whole machine's busy seconds (NaN when unknown).
     */
    record Phase(double wall, Usage server, double clientSeconds, double machineSeconds) {
    }

    /** A phase begun: {@link #stop()} it when the work is done. */
    static final class PhaseClock {
        private final ProcessCpu server;
        private final Snapshot before;
        private final long machine;
        private final long client;
        private final long start;

        private PhaseClock(ProcessCpu server) throws IOException {
            this.server = server;
            this.before = server == null ? null : server.snapshot();
            this.machine = machineBusyTicks();
            this.client = clientCpuNanos();
            this.start = System.nanoTime();
        }

        Phase stop() throws IOException {
            double wall = (System.nanoTime() - start) / 1e9;
            double clientSeconds = (clientCpuNanos() - client) / 1e9;
            double machineSeconds = machine < 0 ? Double.NaN : (machineBusyTicks() - machine) * SECONDS_PER_TICK;
            Usage usage = server == null ? null : between(before, server.snapshot());
            return new Phase(wall, usage, clientSeconds, machineSeconds);
        }
    }

    /** Begins a phase; {@code server} may be null (the server's CPU is not watched). */
    static PhaseClock startPhase(ProcessCpu server) throws IOException {
        return new PhaseClock(server);
    }

    /** Whether this process can be read at all (it exists, on Linux). */
    boolean readable() {
        try {
            snapshot();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String comm(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    private static String[] afterComm(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** utime + stime: fields 14 and 15, that is after[11] and after[12]. */
    private static long ticks(String stat) {
        String[] after = afterComm(stat);
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }

    /**
     * The group of a thread name: trailing digits stripped, and the names the kernel cut at 15
     * characters written out. The pageserver renames a background thread {@code bg: <task>} while it
     * runs a task (a flush, a deletion) and back to {@code background-<n>} after: a thread is counted
     * under the name it has at the end of the interval, so both count as one group.
     */
    static String group(String comm) {
        if (comm.startsWith("bg: ") || comm.startsWith("background-") && !comm.startsWith("background-time")) {
            return BACKGROUND;
        }
        int end = comm.length();
        while (end > 0 && Character.isDigit(comm.charAt(end - 1))) {
            end--;
        }
        String group = comm.substring(0, end);
        return FULL_NAMES.getOrDefault(group, group);
    }

    /** The pageserver's background tasks: during the rows, flushes of frozen in-memory layers. */
    static final String BACKGROUND = "background- (bg: flush)";

    private static final Map<String, String> FULL_NAMES = Map.of(
            "default-eventLo", "default-eventLoopGroup-",
            "io-executor-thr", "io-executor-thread-",
            "ingest-log-writ", "ingest-log-writer",
            "C2 CompilerThre", "C2 CompilerThread",
            "C1 CompilerThre", "C1 CompilerThread");
}
