package org.pageserver.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarized. */
final class Percentiles {
    private long[] samples = new long[1024];
    private int count;

    void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** The p-th percentile (0..100) in microseconds. */
    double micros(double p) {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
