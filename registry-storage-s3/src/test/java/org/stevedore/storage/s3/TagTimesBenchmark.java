package org.stevedore.storage.s3;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * The push times of a repository's T tags (their current links' modification times, what the web
 * UI's repository page sorts by), read two ways on the filesystem and on S3 (S3Proxy, started as
 * the tests do): a stat of each link, as the page did (on S3 a HEAD each), and one
 * {@code statInEachChild} of the tags directory (on S3 one ListObjectsV2 per 1,000 keys; on a
 * filesystem the default, the same list and stats behind one call). A main
 * class, not a test (bench/tag-times runs it). Each tag also has one index link, as after a push.
 */
public final class TagTimesBenchmark {
    private static final String TAGS = "/docker/registry/v2/repositories/bench/many-tags/_manifests/tags";

    private TagTimesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tags = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("tag-times-bench");
        try {
            run("filesystem", FilesystemDriver.at(dir), tags, reps);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        S3ProxyExtension.Endpoint e = S3ProxyExtension.shared();
        Map<String, Object> parameters = e.parameters("tag-times-" + System.nanoTime());
        parameters.put("maxconnections", 64);
        try (S3Driver s3 = S3Driver.create(S3DriverSettings.fromParameters(parameters).withRedirect(false))) {
            run("s3 (S3Proxy)", s3, tags, reps);
        }
        System.exit(0); // S3Proxy's shutdown hook stops it
    }

    private static void run(String label, StorageDriver driver, int tags, int reps) throws Exception {
        long t0 = System.nanoTime();
        populate(driver, tags);
        System.out.printf("%s: wrote %d tags (%d links) in %.1f s%n", label, tags, 2 * tags, (System.nanoTime() - t0) / 1e9);
        double[] statting = new double[reps];
        double[] listing = new double[reps];
        long statCpu = 0;
        long listCpu = 0;
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        int statted = 0;
        int listed = 0;
        for (int round = 0; round <= reps; round++) { // round 0 warms up
            long c0 = bean.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            statted = 0;
            for (String child : driver.list(TAGS)) {
                if (driver.statFile(child + "/current/link").isPresent()) statted++;
            }
            long w1 = System.nanoTime();
            long c1 = bean.getCurrentThreadCpuTime();
            listed = driver.statInEachChild(TAGS, "current/link").size();
            long w2 = System.nanoTime();
            long c2 = bean.getCurrentThreadCpuTime();
            if (round == 0) continue;
            statting[round - 1] = (w1 - w0) / 1e6;
            listing[round - 1] = (w2 - w1) / 1e6;
            statCpu += c1 - c0;
            listCpu += c2 - c1;
        }
        Arrays.sort(statting);
        Arrays.sort(listing);
        int pages = (2 * tags + 999) / 1000;
        System.out.printf("  %-14s a stat per tag:      median %8.1f ms (min %.1f, max %.1f), %.1f ms CPU, %d tags,"
                        + " 1 listing + %d stats%n", label, statting[reps / 2], statting[0], statting[reps - 1],
                statCpu / 1e6 / reps, statted, statted);
        System.out.printf("  %-14s statInEachChild:      median %8.1f ms (min %.1f, max %.1f), %.1f ms CPU, %d tags,"
                        + " 1 call (on S3 %d ListObjectsV2 pages)%n", label, listing[reps / 2], listing[0],
                listing[reps - 1], listCpu / 1e6 / reps, listed, pages);
        System.out.printf("  %-14s ratio (median wall): %.1fx%n", label, statting[reps / 2] / listing[reps / 2]);
    }

    /** Each tag's current link and one index link, written with 16 threads. */
    private static void populate(StorageDriver driver, int tags) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> writes = new ArrayList<>();
        String hex = "a".repeat(64);
        byte[] link = ("sha256:" + hex).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < tags; i++) {
            String tag = TAGS + "/t" + String.format("%05d", i);
            writes.add(pool.submit(() -> {
                driver.writeSmall(tag + "/index/sha256/" + hex + "/link", link);
                driver.writeSmall(tag + "/current/link", link);
                return null;
            }));
        }
        for (Future<?> write : writes) write.get();
        pool.shutdown();
    }
}
