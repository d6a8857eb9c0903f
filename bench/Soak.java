import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak: N clients mixing pushes (monolithic, POST+PUT, chunked, cross-repository mounts),
 * pulls verified by digest, tag listings and deletes against the launched {@code stevedore.jar}
 * on loopback, for a fixed time. Each client owns one repository, so it knows exactly what every
 * answer must be: anything else is an error. Samples the server's RSS, heap and open file
 * descriptors; exits 1 on any error, a file descriptor leak or live heap growth after warm-up.
 * Needs a JDK (jcmd) and Linux (/proc). Run from the repository root:
 *
 * <pre>java bench/Soak.java --jar registry-launcher/target/stevedore.jar --clients 32 --duration 300 --warmup 60</pre>
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
                "--clients", "32", "--duration", "300", "--warmup", "60", "--sample", "5", "--jvm-opts", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) throw new IllegalArgumentException("unknown option " + args[i]);
            options.put(args[i], args[i + 1]);
        }
        int clients = Integer.parseInt(options.get("--clients"));
        long durationS = Long.parseLong(options.get("--duration"));
        long warmupS = Math.min(Long.parseLong(options.get("--warmup")), durationS / 2);
        long sampleS = Long.parseLong(options.get("--sample"));
        Path dir = Files.createTempDirectory("stevedore-soak");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
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
        HttpClient setup = client();
        baseLayer = pushBlob(setup, "soak/base", random(64 * 1024));
        long fdStart = fds(pid);
        java.util.Set<String> fdTargetsStart = fdTargets(pid);
        long rssStart = rssKiB(pid);
        System.out.printf(Locale.ROOT, "server pid %d: %s%nstart: fds %d, rss %d MiB%n", pid, command, fdStart,
                rssStart / 1024);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(new Client("soak/c" + i), "client-" + i);
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
            long rss = rssKiB(pid);
            peakRss = Math.max(peakRss, rss);
            System.out.printf(Locale.ROOT, "t=%3ds requests %d errors %d rss %d MiB heap used %d MiB fds %d%n",
                    (now - start) / 1_000_000_000L, REQUESTS.get(), ERRORS.get(), rss / 1024, heapUsedKiB(pid, false) / 1024,
                    fds(pid));
            if (rssAfterWarmup < 0 && now >= warmupEnd) {
                rssAfterWarmup = rss;
                liveAfterWarmup = heapUsedKiB(pid, true);
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
        long fdEnd = fds(pid);
        long rssEnd = rssKiB(pid);
        long liveEnd = heapUsedKiB(pid, true);
        boolean alive = server.isAlive();
        double rps = (REQUESTS.get() - requestsAtWarmup) / measuredS;
        double mbps = (BYTES.get() - bytesAtWarmup) / measuredS / 1e6;
        System.out.printf(Locale.ROOT, "end: fds %d, rss %d MiB, live heap after full GC %d MiB, server alive %s%n",
                fdEnd, rssEnd / 1024, liveEnd / 1024, alive);
        // Grown descriptors by kind. A worker thread that once waited for a slow request body keeps
        // one cached selector (epoll + eventfd) for life: bounded by the pool, not a leak. Files
        // and sockets left open after the clients are gone are.
        java.util.Set<String> added = fdTargets(pid);
        added.removeAll(fdTargetsStart);
        long addedFiles = added.stream().filter(t -> t.contains("->/")).count();
        long addedSockets = added.stream().filter(t -> t.contains("->socket:")).count();
        long addedSelectors = added.size() - addedFiles - addedSockets;
        long workers = workerThreads(pid);
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

    /** One client: owns repository {@code name} and knows what is in it. */
    static final class Client implements Runnable {
        record Image(String digest, List<String> layers) {
        }

        final String name;
        final HttpClient http = client();
        final Map<String, Image> tags = new LinkedHashMap<>();
        final List<Image> untagged = new ArrayList<>();

        Client(String name) {
            this.name = name;
        }

        @Override
        public void run() {
            while (RUNNING.get()) {
                try {
                    step();
                } catch (Exception e) {
                    error(name + ": " + e);
                }
            }
        }

        void step() throws Exception {
            double r = ThreadLocalRandom.current().nextDouble();
            if (r < 0.30 || tags.isEmpty()) {
                String tag = "t" + ThreadLocalRandom.current().nextInt(10);
                Image old = tags.put(tag, push(tag));
                if (old != null) untagged.add(old);
            } else if (r < 0.65) {
                pull(pick());
            } else if (r < 0.80) {
                HttpResponse<byte[]> list = send(http, "GET", "/v2/" + name + "/tags/list", null, null);
                String body = new String(list.body(), StandardCharsets.UTF_8);
                Matcher m = Pattern.compile("\"tags\":\\[([^]]*)]").matcher(body);
                TreeSet<String> listed = new TreeSet<>();
                if (m.find() && !m.group(1).isEmpty()) for (String t : m.group(1).split(",")) listed.add(t.replace("\"", ""));
                expect(list, 200, "tags list");
                if (!listed.equals(new TreeSet<>(tags.keySet()))) error(name + ": tags " + listed + " != " + tags.keySet());
            } else if (r < 0.90) {
                Image image = tags.get(pick());
                expect(send(http, "HEAD", "/v2/" + name + "/manifests/" + image.digest(), null, null), 200, "HEAD manifest");
            } else {
                Image image = untagged.isEmpty() ? tags.remove(pick()) : untagged.remove(0);
                delete(image);
            }
        }

        String pick() {
            List<String> names = new ArrayList<>(tags.keySet());
            return names.get(ThreadLocalRandom.current().nextInt(names.size()));
        }

        Image push(String tag) throws Exception {
            List<String> layers = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] layer = random(1024 + ThreadLocalRandom.current().nextInt(127 * 1024));
                double how = ThreadLocalRandom.current().nextDouble();
                layers.add(how < 0.5 ? pushBlob(http, name, layer) : how < 0.8 ? postPut(layer) : chunked(layer));
                sizes.add(layer.length);
            }
            expect(send(http, "POST", "/v2/" + name + "/blobs/uploads/?mount=" + baseLayer + "&from=soak/base", null, null),
                    201, "mount");
            byte[] config = ("{\"soak\":\"" + name + " " + System.nanoTime() + "\"}").getBytes(StandardCharsets.UTF_8);
            String configDigest = pushBlob(http, name, config);
            StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":"
                    + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                    + "\",\"size\":" + config.length + "},\"layers\":[" + layer(baseLayer, 64 * 1024));
            for (int i = 0; i < 2; i++) manifest.append(',').append(layer(layers.get(i), sizes.get(i)));
            byte[] bytes = manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            expect(send(http, "PUT", "/v2/" + name + "/manifests/" + tag, bytes, MANIFEST), 201, "manifest PUT");
            return new Image(sha256(bytes), layers);
        }

        static String layer(String digest, int size) {
            return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
        }

        String postPut(byte[] layer) throws Exception {
            String location = start();
            String digest = sha256(layer);
            expect(send(http, "PUT", location + "?digest=" + digest, layer, "application/octet-stream"), 201, "upload PUT");
            return digest;
        }

        String chunked(byte[] layer) throws Exception {
            String location = start();
            int half = layer.length / 2;
            HttpResponse<byte[]> first = send(http, "PATCH", location, java.util.Arrays.copyOfRange(layer, 0, half),
                    "application/octet-stream");
            expect(first, 202, "PATCH 1");
            location = first.headers().firstValue("Location").orElse(location);
            HttpResponse<byte[]> second = send(http, "PATCH", location, java.util.Arrays.copyOfRange(layer, half, layer.length),
                    "application/octet-stream");
            expect(second, 202, "PATCH 2");
            location = second.headers().firstValue("Location").orElse(location);
            String digest = sha256(layer);
            expect(send(http, "PUT", location + "?digest=" + digest, null, null), 201, "chunked PUT");
            return digest;
        }

        String start() throws Exception {
            HttpResponse<byte[]> started = send(http, "POST", "/v2/" + name + "/blobs/uploads/", null, null);
            expect(started, 202, "upload POST");
            return started.headers().firstValue("Location").orElseThrow();
        }

        void pull(String tag) throws Exception {
            Image image = tags.get(tag);
            HttpResponse<byte[]> manifest = send(http, "GET", "/v2/" + name + "/manifests/" + tag, null, null);
            expect(manifest, 200, "manifest GET");
            if (!sha256(manifest.body()).equals(image.digest())) error(name + ":" + tag + " manifest digest differs");
            for (String layer : image.layers()) {
                HttpResponse<byte[]> blob = send(http, "GET", "/v2/" + name + "/blobs/" + layer, null, null);
                expect(blob, 200, "blob GET");
                if (!sha256(blob.body()).equals(layer)) error(name + " blob " + layer + " content differs");
            }
            expect(send(http, "HEAD", "/v2/" + name + "/blobs/" + baseLayer, null, null), 200, "base HEAD");
        }

        void delete(Image image) throws Exception {
            expect(send(http, "DELETE", "/v2/" + name + "/manifests/" + image.digest(), null, null), 202, "manifest DELETE");
            for (String layer : image.layers()) {
                expect(send(http, "DELETE", "/v2/" + name + "/blobs/" + layer, null, null), 202, "blob DELETE");
            }
            expect(send(http, "GET", "/v2/" + name + "/manifests/" + image.digest(), null, null), 404, "deleted manifest");
        }

        void expect(HttpResponse<byte[]> response, int status, String what) {
            if (response.statusCode() != status) {
                error(name + " " + what + ": " + response.statusCode() + " " + new String(response.body(),
                        StandardCharsets.UTF_8).strip());
            }
        }
    }

    static void error(String what) {
        ERRORS.incrementAndGet();
        if (ERROR_SAMPLES.size() < 100) ERROR_SAMPLES.add(what);
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static HttpResponse<byte[]> send(HttpClient http, String method, String path, byte[] body, String type)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) request.header("Content-Type", type);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        REQUESTS.incrementAndGet();
        BYTES.addAndGet((body == null ? 0 : body.length) + response.body().length);
        return response;
    }

    static String pushBlob(HttpClient http, String repository, byte[] content) throws Exception {
        String digest = sha256(content);
        HttpResponse<byte[]> response = send(http, "POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, content,
                "application/octet-stream");
        if (response.statusCode() != 201) error(repository + " monolithic push: " + response.statusCode());
        return digest;
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static void awaitReady(Process server) throws Exception {
        HttpClient http = client();
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

    static long fds(long pid) throws IOException {
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return list.count();
        }
    }

    /** What each descriptor points at, e.g. {@code socket:[123]} or a file path, with its number. */
    static java.util.Set<String> fdTargets(long pid) throws IOException {
        java.util.Set<String> targets = new TreeSet<>();
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    targets.add(fd.getFileName() + "->" + Files.readSymbolicLink(fd));
                } catch (IOException closedMeanwhile) { }
            }
        }
        return targets;
    }

    /** Undertow's worker threads ("XNIO-1 task-N"), from the kernel's thread names. */
    static long workerThreads(long pid) throws IOException {
        long count = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("task-")) count++;
                } catch (IOException threadEnded) { }
            }
        }
        return count;
    }

    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** Heap in use per {@code jcmd GC.heap_info}; with {@code fullGc}, after a full collection (live data). */
    static long heapUsedKiB(long pid, boolean fullGc) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        if (fullGc) new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
        return used.find() ? Long.parseLong(used.group(1)) : -1;
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
