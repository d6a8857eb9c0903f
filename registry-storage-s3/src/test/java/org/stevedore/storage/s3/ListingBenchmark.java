package org.stevedore.storage.s3;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.layout.StorageLayout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Catalog and tag-list speed at R repositories and one repository with T tags, on the filesystem
 * and on S3 (S3Proxy's filesystem backend), for two builds side by side: {@code bench.base.jar}
 * (before, e.g. main) and {@code bench.new.jar} (after), each run as {@code stevedore serve} over
 * the same store, timed alternately from one client. A main class, not a test (bench/listing runs
 * it). The stores are written as files directly (S3Proxy's backend keeps each key as a file),
 * which takes seconds where 100,000 PUTs take many minutes: every repository has a tag, the
 * catalog index entry a push through Stevedore leaves, and the index's built marker. On the
 * filesystem the index is then removed and the build on first use is timed too.
 *
 * <p>Reported per request kind: the client's wall time (median, min, max of REPS) and the
 * server's CPU seconds for all REPS (from /proc), which a busy machine changes far less.
 */
public final class ListingBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration SLOW = Duration.ofSeconds(Long.getLong("bench.timeout.seconds", 300));
    private static final String TAGGED = "bench/tagged";
    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ListingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int tags = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path base = Path.of(System.getProperty("bench.base.jar"));
        Path branch = Path.of(System.getProperty("bench.new.jar"));
        Path work = Files.createTempDirectory("listing-bench");
        System.out.printf("listing benchmark: %d repositories, one with %d tags, %d reps; before %s, after %s%n",
                repositories, tags, reps, base, branch);

        String stores = System.getProperty("bench.stores", "filesystem,s3");
        if (stores.contains("filesystem")) filesystem(work, base, branch, repositories, tags, reps);
        if (stores.contains("s3")) s3(work, base, branch, repositories, tags, reps);
        System.exit(0);
    }

    private static void filesystem(Path work, Path base, Path branch, int repositories, int tags, int reps)
            throws Exception {
        Path fsRoot = work.resolve("fs");
        long t0 = System.nanoTime();
        populate(fsRoot, repositories, tags);
        System.out.printf("filesystem: wrote the store in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        String fsStorage = "  filesystem:\n    rootdirectory: " + fsRoot + "\n";
        compare("filesystem", fsStorage, base, branch, work, repositories, tags, reps);
        firstUse("filesystem", fsRoot, fsStorage, branch, work, repositories);
    }

    private static void s3(Path work, Path base, Path branch, int repositories, int tags, int reps) throws Exception {
        long t0;
        S3ProxyProcess proxy = S3ProxyProcess.start();
        try {
            String bucket = "listing";
            try (S3Client client = S3Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                    .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(S3ProxyProcess.IDENTITY, S3ProxyProcess.CREDENTIAL))).build()) {
                client.createBucket(b -> b.bucket(bucket));
            }
            t0 = System.nanoTime();
            populate(proxy.data().resolve(bucket).resolve("root"), repositories, tags);
            System.out.printf("s3 (S3Proxy): wrote the store in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String s3Storage = "  s3:\n    region: us-east-1\n    bucket: " + bucket + "\n    regionendpoint: "
                    + proxy.endpoint() + "\n    forcepathstyle: true\n    accesskey: " + S3ProxyProcess.IDENTITY
                    + "\n    secretkey: " + S3ProxyProcess.CREDENTIAL + "\n    rootdirectory: /root\n"
                    + "    maxconnections: 64\n  redirect:\n    disable: true\n";
            compare("s3 (S3Proxy)", s3Storage, base, branch, work, repositories, tags, reps);
        } finally {
            proxy.close();
        }
    }

    private static void compare(String label, String storage, Path base, Path branch, Path work, int repositories,
                                int tags, int reps) throws Exception {
        try (Server before = Server.start(base, storage, work.resolve(label.split(" ")[0] + "-before"));
             Server after = Server.start(branch, storage, work.resolve(label.split(" ")[0] + "-after"))) {
            int all = repositories + 1;
            // Warm-up, untimed: class loading and the first requests' JIT, and the index built if needed.
            for (int i = 0; i < 3; i++) {
                before.time(new Kind("warm-up", "/v2/" + TAGGED + "/tags/list?n=1", 1));
                after.time(new Kind("warm-up", "/v2/" + TAGGED + "/tags/list?n=1", 1));
            }
            List<Kind> kinds = new ArrayList<>(List.of(
                    new Kind("catalog, first page of 100", "/v2/_catalog?n=100", 100),
                    new Kind("tag list, first page of 100", "/v2/" + TAGGED + "/tags/list?n=100", 100)));
            if (Boolean.parseBoolean(System.getProperty("bench.whole", "true"))) {
                kinds.add(new Kind("catalog, whole (one page)", "/v2/_catalog?n=" + (all + 10), all));
                kinds.add(new Kind("tag list, whole (one page)", "/v2/" + TAGGED + "/tags/list?n=" + (tags + 10), tags));
            }
            for (Kind kind : kinds) {
                Timing old = new Timing();
                Timing now = new Timing();
                for (int i = 0; i < reps; i++) {
                    // Alternating, so that the machine's load falls on both alike.
                    if (!old.timedOut) {
                        old.add(before.time(kind));
                        // A request given up on still runs in the server: stop it, so it loads neither build.
                        if (old.timedOut) before.restart();
                    }
                    if (!now.timedOut) {
                        now.add(after.time(kind));
                        if (now.timedOut) after.restart();
                    }
                }
                System.out.printf("  %-13s %-29s before %s | after %s | %s%n", label, kind.what, old, now,
                        old.ratio(now));
            }
        }
    }

    /** The filesystem store without its index: the first page builds it (a walk and one entry per repository). */
    private static void firstUse(String label, Path root, String storage, Path branch, Path work, int repositories)
            throws Exception {
        deleteTree(root.resolve(StorageLayout.STEVEDORE.substring(1)).resolve("catalog"));
        try (Server after = Server.start(branch, storage, work.resolve("fs-first-use"))) {
            Timing build = new Timing();
            build.add(after.time(new Kind("first use", "/v2/_catalog?n=100", 100)));
            Timing next = new Timing();
            next.add(after.time(new Kind("next", "/v2/_catalog?n=100", 100)));
            System.out.printf("  %-13s %-29s first page building the index %s | the next first page %s%n", label,
                    repositories + " repositories", build, next);
        }
    }

    /** The layout as files: each repository with one tag and its catalog index entry, one repository with many tags. */
    private static void populate(Path root, int repositories, int tags) throws Exception {
        byte[] link = ("sha256:" + "a".repeat(64)).getBytes(StandardCharsets.US_ASCII);
        Path v2 = root.resolve(StorageLayout.ROOT.substring(1));
        Path entries = root.resolve(StorageLayout.CATALOG_ENTRIES.substring(1));
        Files.createDirectories(entries);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writes = new ArrayList<>();
        int slice = 1000;
        for (int from = 0; from < repositories; from += slice) {
            int start = from;
            writes.add(pool.submit(() -> {
                for (int i = start; i < Math.min(repositories, start + slice); i++) {
                    String name = "bench/r" + String.format("%06d", i);
                    write(v2.resolve("repositories/" + name + "/_manifests/tags/latest/current/link"), link);
                    write(root.resolve(StorageLayout.catalogEntry(RepositoryName.of(name)).substring(1)), new byte[0]);
                }
                return null;
            }));
        }
        for (Future<?> write : writes) write.get();
        for (int i = 0; i < tags; i++) {
            write(v2.resolve("repositories/" + TAGGED + "/_manifests/tags/t" + String.format("%05d", i) + "/current/link"), link);
        }
        write(root.resolve(StorageLayout.catalogEntry(RepositoryName.of(TAGGED)).substring(1)), new byte[0]);
        write(root.resolve(StorageLayout.CATALOG_BUILT.substring(1)), new byte[0]);
        pool.shutdown();
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static void deleteTree(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private record Kind(String what, String path, int entries) {
    }

    /** One request's wall time and the server's CPU time for it; null wall time when it took too long. */
    private record Sample(Double millis, double cpuSeconds) {
    }

    private static final class Timing {
        private final List<Double> millis = new ArrayList<>();
        private double cpuSeconds;
        private boolean timedOut;

        void add(Sample sample) {
            if (sample.millis() == null) timedOut = true;
            else millis.add(sample.millis());
            cpuSeconds += sample.cpuSeconds();
        }

        double median() {
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[sorted.length / 2];
        }

        String ratio(Timing after) {
            if (millis.isEmpty() || after.millis.isEmpty()) return "ratio n/a";
            return String.format("after/before %.4f", after.median() / median());
        }

        @Override
        public String toString() {
            if (millis.isEmpty()) return String.format("over %d s (stopped)", SLOW.toSeconds());
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return String.format("median %9.1f ms (min %.1f, max %.1f, n=%d%s), server CPU %.2f s", median(), sorted[0],
                    sorted[sorted.length - 1], sorted.length, timedOut ? ", then over " + SLOW.toSeconds() + " s" : "",
                    cpuSeconds);
        }
    }

    /** {@code stevedore serve} of one build over the store, on a free loopback port. */
    private static final class Server implements AutoCloseable {
        private final Path jar;
        private final Path directory;
        private Process process;
        private final String url;

        private Server(Path jar, Path directory, Process process, String url) {
            this.jar = jar;
            this.directory = directory;
            this.process = process;
            this.url = url;
        }

        /** Stops the server and starts it again on the same port and configuration. */
        void restart() throws Exception {
            close();
            process = launch(jar, directory);
            awaitReady();
        }

        private static Process launch(Path jar, Path directory) throws IOException {
            return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-jar", jar.toString(), "serve", directory.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("server.log").toFile())).start();
        }

        private void awaitReady() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new IllegalStateException(jar + " exited: " + Files.readString(directory.resolve("server.log")));
                try {
                    HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            close();
            throw new IllegalStateException(jar + " not ready");
        }

        static Server start(Path jar, String storage, Path directory) throws Exception {
            Files.createDirectories(directory);
            int port;
            Integer first = Integer.getInteger("bench.port"); // pinned: servers take this port and the next ones
            if (first != null) {
                port = first + STARTED.getAndIncrement();
            } else {
                try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
            }
            Path config = directory.resolve("config.yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n" + storage
                    + "http:\n  addr: 127.0.0.1:" + port + "\nlimits:\n  pagesize: 1000000\n");
            Server server = new Server(jar, directory, launch(jar, directory), "http://127.0.0.1:" + port);
            server.awaitReady();
            return server;
        }

        Sample time(Kind kind) throws Exception {
            double cpu = cpuSeconds();
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = HTTP.send(HttpRequest.newBuilder(URI.create(url + kind.path())).timeout(SLOW).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException slow) {
                return new Sample(null, cpuSeconds() - cpu);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) throw new IllegalStateException(kind.path() + ": " + response.statusCode());
            com.fasterxml.jackson.databind.JsonNode body = JSON.readTree(response.body());
            int entries = body.path(body.has("tags") ? "tags" : "repositories").size();
            if (entries != kind.entries()) {
                throw new IllegalStateException(kind.path() + ": " + entries + " entries, not " + kind.entries());
            }
            return new Sample(millis, cpuSeconds() - cpu);
        }

        /** User plus system CPU time of the server process so far. */
        private double cpuSeconds() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                // A graceful stop waits for requests in flight: a walk given up on may take many minutes.
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
