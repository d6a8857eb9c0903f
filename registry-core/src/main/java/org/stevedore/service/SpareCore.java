package org.stevedore.service;

import java.lang.management.ManagementFactory;

/**
 * Whether the machine has a core to spare for a second upload thread: other processes left at
 * least {@link #FREE_CORES} cores idle since the last look (this process's own time does not
 * count: its uploads are what a second thread would speed up; the upload client and the kernel's
 * writeback, about 0.3–0.5 of a core at 1 GB/s, do count, hence more than one core).
 *
 * <p>Why ask: a body hashed on a second core moves every byte from one core's cache to the other
 * twice (filled slice to the hasher, hashed slice back to be refilled). On an idle machine that
 * is cheap and the overlap wins; while other processes keep the cores busy, the moves cost more
 * than the overlap gains (measured in docs/performance.md, "Uploads"), so the request thread
 * does it all, as on one core. The answer is cached for {@link #SAMPLE_NANOS}; unknown load
 * (no such figure on this platform) counts as spare.
 */
final class SpareCore {
    static final long SAMPLE_NANOS = 500_000_000L;
    /** How many cores other processes must leave idle for a second thread to pay off. */
    static final double FREE_CORES = 1.25;

    private static final com.sun.management.OperatingSystemMXBean OS = operatingSystem();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static long sampledAt = System.nanoTime();
    private static long processNanos = processCpuNanos();
    private static boolean spare = true;

    static {
        if (OS != null) OS.getCpuLoad(); // starts the window the first real question measures
    }

    private SpareCore() {
    }

    static synchronized boolean available() {
        long now = System.nanoTime();
        if (now - sampledAt < SAMPLE_NANOS) return spare;
        long process = processCpuNanos();
        double machine = OS == null ? -1 : OS.getCpuLoad(); // share of all cores since the last call
        if (machine >= 0 && process >= 0 && processNanos >= 0) {
            double ownCores = (process - processNanos) / (double) (now - sampledAt);
            spare = CORES > 1 && machine * CORES - ownCores <= CORES - FREE_CORES;
        } else {
            spare = CORES > 1;
        }
        sampledAt = now;
        processNanos = process;
        return spare;
    }

    private static long processCpuNanos() {
        return OS == null ? -1 : OS.getProcessCpuTime();
    }

    private static com.sun.management.OperatingSystemMXBean operatingSystem() {
        try {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
