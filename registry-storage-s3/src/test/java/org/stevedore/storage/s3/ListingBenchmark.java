package org.stevedore.storage.s3;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.stevedore.registry.Registry;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * Catalog and tag-list speed with thousands of entries, on S3 (S3Proxy, started as the tests do)
 * and on the filesystem; a main class, not a test (bench/listing runs it). It writes the layout
 * of R repositories (a layer link, a revision link, a tag) and one repository with T tags
 * directly through the driver, then times {@code GET /v2/_catalog} (all in one page, and the
 * first page of 100) and {@code GET /v2/<name>/tags/list} through a started registry, also with
 * the catalog's old one-listing-per-directory walk (the driver's inherited default), counting
 * the driver listings each answer costs.
 */
public final class ListingBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ListingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int tags = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("listing-bench");
        try {
            run("filesystem", FilesystemDriver.at(dir), repositories, tags, reps);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        S3ProxyExtension.Endpoint e = S3ProxyExtension.shared();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("region", e.region());
        parameters.put("bucket", e.bucket());
        parameters.put("regionendpoint", e.uri().toString());
        parameters.put("forcepathstyle", e.forcePathStyle());
        parameters.put("accesskey", e.accessKey());
        parameters.put("secretkey", e.secretKey());
        parameters.put("rootdirectory", "listing-" + System.nanoTime());
        parameters.put("maxconnections", 64);
        try (S3Driver s3 = S3Driver.create(S3DriverSettings.fromParameters(parameters).withRedirect(false))) {
            run("s3 (S3Proxy)", s3, repositories, tags, reps);
        }
        System.exit(0); // S3Proxy's shutdown hook stops it
    }

    private static void run(String label, StorageDriver driver, int repositories, int tags, int reps) throws Exception {
        long t0 = System.nanoTime();
        populate(driver, repositories, tags);
        System.out.printf("%s: wrote %d repositories + 1 with %d tags in %.1f s%n", label, repositories, tags,
                (System.nanoTime() - t0) / 1e9);
        Counting counted = new Counting(driver, true);
        Counting walking = new Counting(driver, false);
        try (Registry fast = Registry.builder().storage(counted).maxPageSize(repositories + 10).start();
             Registry old = Registry.builder().storage(walking).maxPageSize(repositories + 10).start()) {
            time(label, "catalog, all in one page", fast, counted, "/v2/_catalog?n=" + (repositories + 10), reps);
            time(label, "catalog, all in one page, old walk", old, walking, "/v2/_catalog?n=" + (repositories + 10), reps);
            time(label, "catalog, first 100", fast, counted, "/v2/_catalog?n=100", reps);
            time(label, "catalog, first 100, old walk", old, walking, "/v2/_catalog?n=100", reps);
            time(label, "tags list, " + tags + " tags", fast, counted, "/v2/bench/tagged/tags/list?n=" + (tags + 10), reps);
        }
    }

    private static void time(String label, String what, Registry registry, Counting driver, String path, int reps)
            throws Exception {
        double[] millis = new double[reps];
        int entries = 0;
        for (int i = 0; i < reps; i++) {
            driver.lists.set(0);
            long start = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) throw new IllegalStateException(path + ": " + response.statusCode());
            entries = response.body().split("\",\"", -1).length;
        }
        Arrays.sort(millis);
        System.out.printf("  %-14s %-40s %6d entries: median %8.1f ms (min %.1f, max %.1f), %d driver listings%n",
                label, what, entries, millis[reps / 2], millis[0], millis[reps - 1], driver.lists.get());
    }

    /** The registry's layout for the benchmark's repositories and tags, written with 16 threads. */
    private static void populate(StorageDriver driver, int repositories, int tags) throws Exception {
        String root = "/docker/registry/v2/repositories/";
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> writes = new ArrayList<>();
        byte[] link = ("sha256:" + "a".repeat(64)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String hex = "a".repeat(64);
        for (int i = 0; i < repositories; i++) {
            String repo = root + "bench/r" + String.format("%05d", i);
            writes.add(pool.submit(() -> {
                driver.writeSmall(repo + "/_layers/sha256/" + hex + "/link", link);
                driver.writeSmall(repo + "/_manifests/revisions/sha256/" + hex + "/link", link);
                driver.writeSmall(repo + "/_manifests/tags/latest/current/link", link);
                return null;
            }));
        }
        for (int i = 0; i < tags; i++) {
            String tag = root + "bench/tagged/_manifests/tags/t" + String.format("%05d", i);
            writes.add(pool.submit(() -> {
                driver.writeSmall(tag + "/current/link", link);
                return null;
            }));
        }
        writes.add(pool.submit(() -> {
            driver.writeSmall(root + "bench/tagged/_manifests/revisions/sha256/" + hex + "/link", link);
            return null;
        }));
        for (Future<?> write : writes) write.get();
        pool.shutdown();
    }

    /** Counts list calls; {@code deep=false} hides the driver's own deep listing (the old walk). */
    private static final class Counting implements StorageDriver {
        private final StorageDriver delegate;
        private final boolean deep;
        final AtomicInteger lists = new AtomicInteger();

        Counting(StorageDriver delegate, boolean deep) {
            this.delegate = delegate;
            this.deep = deep;
        }

        @Override public String name() { return delegate.name(); }
        @Override public Optional<FileInfo> stat(String path) throws IOException { return delegate.stat(path); }
        @Override public byte[] readSmall(String path, int max) throws IOException { return delegate.readSmall(path, max); }
        @Override public void writeSmall(String path, byte[] bytes) throws IOException { delegate.writeSmall(path, bytes); }
        @Override public Content open(String path, long offset) throws IOException { return delegate.open(path, offset); }
        @Override public AppendWriter append(String path) throws IOException { return delegate.append(path); }
        @Override public void move(String from, String to) throws IOException { delegate.move(from, to); }
        @Override public void delete(String path) throws IOException { delegate.delete(path); }

        @Override
        public List<String> list(String directory) throws IOException {
            lists.incrementAndGet();
            return delegate.list(directory);
        }

        @Override
        public Map<String, java.util.Set<String>> listDirectoriesWithChildStartingWith(String directory, String prefix)
                throws IOException {
            if (!deep) return StorageDriver.super.listDirectoriesWithChildStartingWith(directory, prefix);
            lists.incrementAndGet();
            return delegate.listDirectoriesWithChildStartingWith(directory, prefix);
        }
    }
}
