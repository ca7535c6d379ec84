package org.pageserver.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top of a JFR recording's method profile: samples by thread group, and for the threads whose
 * name starts with a prefix, the methods on top of the stack (self) and anywhere on it (total,
 * without the frames that nearly every sample has: the thread's run loop), from the Java samples
 * (jdk.ExecutionSample); and the native methods those threads were sampled in
 * (jdk.NativeMethodSample: system calls, including the wait for the next event).
 *
 * <p>Usage: {@code JfrTop <recording.jfr> <thread name prefix> [methods shown]}.
 */
public final class JfrTop {
    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: JfrTop <recording.jfr> <thread name prefix> [methods shown]");
            System.exit(2);
        }
        print(Path.of(args[0]), args[1], args.length > 2 ? Integer.parseInt(args[2]) : 15);
    }

    static void print(Path recording, String prefix, int shown) throws IOException {
        Map<String, Integer> byGroup = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> natives = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        int all = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("jdk.NativeMethodSample")) {
                String thread = e.getThread("sampledThread") == null ? null : e.getThread("sampledThread").getJavaName();
                RecordedStackTrace stack = e.getStackTrace();
                if (thread != null && thread.startsWith(prefix) && stack != null && !stack.getFrames().isEmpty()) {
                    nativeSamples++;
                    natives.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
                }
                continue;
            }
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            all++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            byGroup.merge(ProcessCpu.group(thread == null ? "?" : thread), 1, Integer::sum);
            RecordedStackTrace stack = e.getStackTrace();
            if (thread == null || !thread.startsWith(prefix) || stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf("JFR: %d Java samples; by thread group: %s%n", all, top(byGroup, all, 6));
        System.out.printf("threads %s*: %d samples. Self (top of stack):%n", prefix, samples);
        printTop(self, samples, shown);
        System.out.printf("Total (anywhere on the stack, below the run loop):%n");
        int all0 = samples;
        total.entrySet().removeIf(e -> e.getValue() >= 0.95 * all0);
        printTop(total, samples, shown);
        System.out.printf("threads %s* in native code: %d samples, by method:%n", prefix, nativeSamples);
        printTop(natives, nativeSamples, 8);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName().replaceFirst("^.*\\.", "") + "." + f.getMethod().getName();
    }

    private static String top(Map<String, Integer> counts, int of, int n) {
        StringBuilder s = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(e -> s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format("%.0f%%", 100.0 * e.getValue() / Math.max(1, of))));
        return s.toString();
    }

    private static void printTop(Map<String, Integer> counts, int of, int n) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, of), e.getKey()));
    }
}
