import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soak: N clients mixing pushes (monolithic, POST+PUT, chunked, cross-repository mounts),
 * pulls verified by digest, tag listings and deletes against the launched {@code stevedore.jar}
 * on loopback, for a fixed time. Each client owns one repository, so it knows exactly what every
 * answer must be: anything else is an error. Samples the server's RSS, heap and open file
 * descriptors; exits 1 on any error, a file descriptor leak or live heap growth after warm-up.
 * Needs a JDK (jcmd) and Linux (/proc). The clients are {@link SoakClient}, the server's figures
 * come from {@link ServerProbe}. Run with {@code bench/soak}, which compiles this directory.
 */
public class Soak {
    static final AtomicLong REQUESTS = new AtomicLong();
    static final AtomicLong BYTES = new AtomicLong();
    static final AtomicLong ERRORS = new AtomicLong();
    static final ConcurrentLinkedQueue<String> ERROR_SAMPLES = new ConcurrentLinkedQueue<>();
    static final AtomicBoolean RUNNING = new AtomicBoolean(true);
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static URI base;
    static String baseLayer;

    public static void main(String[] args) throws Exception {
        // Idle client connections close after 2 s, so the end count of server descriptors is fair.
        System.setProperty("jdk.httpclient.keepalive.timeout", "2");
        Map<String, String> options = new LinkedHashMap<>(Map.of("--jar", "registry-launcher/target/stevedore.jar",
                "--clients", "32", "--duration", "300", "--warmup", "60", "--sample", "5", "--jvm-opts", "", "--port", "0"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) throw new IllegalArgumentException("unknown option " + args[i]);
            options.put(args[i], args[i + 1]);
        }
        int clients = Integer.parseInt(options.get("--clients"));
        long durationS = Long.parseLong(options.get("--duration"));
        long warmupS = Math.min(Long.parseLong(options.get("--warmup")), durationS / 2);
        long sampleS = Long.parseLong(options.get("--sample"));
        Path dir = Files.createTempDirectory("stevedore-soak");
        int port = Integer.parseInt(options.get("--port")); // 0: any free port
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String opt : options.get("--jvm-opts").split(" ")) if (!opt.isBlank()) command.add(opt);
        command.addAll(List.of("-jar", options.get("--jar"), "serve", "--addr", "127.0.0.1:" + port,
                "--root", dir.resolve("data").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().put("REGISTRY_STORAGE_DELETE_ENABLED", "true");
        Process server = builder.start();
        long pid = server.pid();
        base = URI.create("http://127.0.0.1:" + port);
        int code = 0;
        try {
            awaitReady(server);
            code = run(server, pid, clients, durationS, warmupS, sampleS, String.join(" ", command));
        } finally {
            server.destroy();
            server.waitFor();
            deleteTree(dir);
        }
        System.exit(code);
    }

    static int run(Process server, long pid, int clients, long durationS, long warmupS, long sampleS, String command)
            throws Exception {
        HttpClient setup = SoakClient.client();
        baseLayer = SoakClient.pushBlob(setup, "soak/base", SoakClient.random(64 * 1024));
        long fdStart = ServerProbe.fds(pid);
        java.util.Set<String> fdTargetsStart = ServerProbe.fdTargets(pid);
        long rssStart = ServerProbe.rssKiB(pid);
        System.out.printf(Locale.ROOT, "server pid %d: %s%nstart: fds %d, rss %d MiB%n", pid, command, fdStart,
                rssStart / 1024);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(new SoakClient("soak/c" + i), "client-" + i);
            thread.start();
            threads.add(thread);
        }
        long start = System.nanoTime();
        long warmupEnd = start + warmupS * 1_000_000_000L;
        long end = start + durationS * 1_000_000_000L;
        long peakRss = rssStart;
        long rssAfterWarmup = -1;
        long liveAfterWarmup = -1;
        long requestsAtWarmup = 0;
        long bytesAtWarmup = 0;
        long warmupMark = 0;
        List<Long> rssSamples = new ArrayList<>();
        while (System.nanoTime() < end && server.isAlive()) {
            Thread.sleep(sampleS * 1000);
            long now = System.nanoTime();
            long rss = ServerProbe.rssKiB(pid);
            peakRss = Math.max(peakRss, rss);
            System.out.printf(Locale.ROOT, "t=%3ds requests %d errors %d rss %d MiB heap used %d MiB fds %d%n",
                    (now - start) / 1_000_000_000L, REQUESTS.get(), ERRORS.get(), rss / 1024, ServerProbe.heapUsedKiB(pid, false) / 1024,
                    ServerProbe.fds(pid));
            if (rssAfterWarmup < 0 && now >= warmupEnd) {
                rssAfterWarmup = rss;
                liveAfterWarmup = ServerProbe.heapUsedKiB(pid, true);
                requestsAtWarmup = REQUESTS.get();
                bytesAtWarmup = BYTES.get();
                warmupMark = now;
                System.out.printf(Locale.ROOT, "warm-up done: rss %d MiB, live heap after full GC %d MiB%n",
                        rss / 1024, liveAfterWarmup / 1024);
            } else if (rssAfterWarmup >= 0) {
                rssSamples.add(rss);
            }
        }
        RUNNING.set(false);
        for (Thread thread : threads) thread.join(60_000);
        long stop = System.nanoTime();
        double measuredS = (stop - warmupMark) / 1e9;
        double totalS = (stop - start) / 1e9;
        Thread.sleep(4000); // idle client connections close (keepalive 2 s)
        long fdEnd = ServerProbe.fds(pid);
        long rssEnd = ServerProbe.rssKiB(pid);
        long liveEnd = ServerProbe.heapUsedKiB(pid, true);
        boolean alive = server.isAlive();
        double rps = (REQUESTS.get() - requestsAtWarmup) / measuredS;
        double mbps = (BYTES.get() - bytesAtWarmup) / measuredS / 1e6;
        System.out.printf(Locale.ROOT, "end: fds %d, rss %d MiB, live heap after full GC %d MiB, server alive %s%n",
                fdEnd, rssEnd / 1024, liveEnd / 1024, alive);
        // Grown descriptors by kind. A worker thread that once waited for a slow request body keeps
        // one cached selector (epoll + eventfd) for life: bounded by the pool, not a leak. Files
        // and sockets left open after the clients are gone are.
        java.util.Set<String> added = ServerProbe.fdTargets(pid);
        added.removeAll(fdTargetsStart);
        long addedFiles = added.stream().filter(t -> t.contains("->/")).count();
        long addedSockets = added.stream().filter(t -> t.contains("->socket:")).count();
        long addedSelectors = added.size() - addedFiles - addedSockets;
        long workers = ServerProbe.workerThreads(pid);
        System.out.printf(Locale.ROOT, "descriptors added: %d files, %d sockets, %d selector parts (%d worker threads)%n",
                addedFiles, addedSockets, addedSelectors, workers);
        if (addedFiles + addedSockets > 0) System.out.println("added: " + added);
        boolean fdLeak = addedFiles > 0 || addedSockets > 1 || addedSelectors > 2 * workers + 2;
        ERROR_SAMPLES.stream().limit(20).forEach(e -> System.out.println("error: " + e));
        boolean heapGrew = liveEnd > liveAfterWarmup * 3 / 2 + 16 * 1024;
        // Flat: the second half after warm-up peaks no more than 10 % (+32 MiB) above the first half.
        long firstHalf = rssSamples.subList(0, rssSamples.size() / 2).stream().mapToLong(Long::longValue).max().orElse(0);
        long secondHalf = rssSamples.subList(rssSamples.size() / 2, rssSamples.size()).stream().mapToLong(Long::longValue)
                .max().orElse(0);
        // A short run (the CI smoke) has too few samples to call a trend; it checks the rest.
        boolean rssGrew = rssSamples.size() >= 4 && secondHalf > firstHalf * 11 / 10 + 32 * 1024;
        System.out.printf(Locale.ROOT, "FIGURES: soak %d clients %.0f s (warm-up %d s): requests %d (%.0f req/s after"
                        + " warm-up, %.0f overall), %.1f MB/s, errors %d, peak RSS %d MiB, RSS after warm-up %d MiB ->"
                        + " end %d MiB (peak in the halves after warm-up %d / %d MiB), live heap after warm-up %d MiB -> end %d MiB, fds %d -> %d%n",
                threads.size(), totalS, (warmupMark - start) / 1_000_000_000L, REQUESTS.get(), rps,
                REQUESTS.get() / totalS, mbps, ERRORS.get(), peakRss / 1024, rssAfterWarmup / 1024,
                rssEnd / 1024, firstHalf / 1024, secondHalf / 1024, liveAfterWarmup / 1024, liveEnd / 1024, fdStart, fdEnd);
        List<String> problems = new ArrayList<>();
        if (ERRORS.get() > 0) problems.add(ERRORS.get() + " errors");
        if (!alive) problems.add("server died");
        if (fdLeak) problems.add("file descriptors leaked: " + added);
        if (heapGrew) problems.add("live heap grew from " + liveAfterWarmup / 1024 + " to " + liveEnd / 1024 + " MiB");
        if (rssGrew) problems.add("RSS grew from a peak of " + firstHalf / 1024 + " MiB to " + secondHalf / 1024 + " MiB");
        if (REQUESTS.get() == 0) problems.add("no requests");
        System.out.println(problems.isEmpty() ? "SOAK PASSED" : "SOAK FAILED: " + String.join("; ", problems));
        return problems.isEmpty() ? 0 : 1;
    }

    static void error(String what) {
        ERRORS.incrementAndGet();
        if (ERROR_SAMPLES.size() < 100) ERROR_SAMPLES.add(what);
    }

    static void awaitReady(Process server) throws Exception {
        HttpClient http = SoakClient.client();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new IllegalStateException("server exited with " + server.exitValue());
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/v2/")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) return;
            } catch (IOException stillStarting) { }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server not ready after 60 s");
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
