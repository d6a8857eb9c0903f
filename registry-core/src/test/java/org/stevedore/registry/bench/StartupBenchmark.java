package org.stevedore.registry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.stevedore.registry.Registry;

/**
 * Startup benchmark for embedded registries; a main class, not a test (bench/embedded-startup runs it).
 * Modes:
 * <ul>
 *   <li>{@code warm N}: in one warmed-up JVM, N times start an in-memory registry, answer one
 *       {@code GET /v2/} over a fresh socket, close; prints median, p90, min, max.</li>
 *   <li>{@code heap N}: heap and threads per idle registry, with N running at once.</li>
 *   <li>{@code compare N}: N times each, in fresh processes: this class in {@code child} mode
 *       (a cold JVM starting one registry) and {@code docker-registry serve} (in-memory storage);
 *       time from process spawn to the first 200 on {@code /v2/}, polled every millisecond; and a
 *       cold JVM running bare Undertow (no Stevedore) as the baseline of what the JVM itself costs.</li>
 * </ul>
 */
public final class StartupBenchmark {
    private static final long MAIN_ENTRY_NANOS = System.nanoTime();

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        switch (mode) {
            case "warm": warm(n > 0 ? n : 200); break;
            case "heap": heap(n > 0 ? n : 20); break;
            case "compare": compare(n > 0 ? n : 10); break;
            case "child": child(Integer.parseInt(args[1])); break;
            case "child-bare": bareUndertow(Integer.parseInt(args[1])); break;
            default:
                compare(10);
                warm(200);
                heap(20);
        }
    }

    private static void warm(int iterations) throws IOException {
        for (int i = 0; i < Math.max(200, iterations); i++) startRequestClose();
        double[] millis = new double[iterations];
        for (int i = 0; i < iterations; i++) millis[i] = startRequestClose();
        Arrays.sort(millis);
        System.out.printf("warm start -> first GET /v2/ 200 -> close, in-memory, %d runs after %d warm-up:%n"
                + "  median %.2f ms, p90 %.2f ms, min %.2f ms, max %.2f ms%n", iterations, Math.max(200, iterations),
                percentile(millis, 50), percentile(millis, 90), millis[0], millis[millis.length - 1]);
    }

    private static double startRequestClose() throws IOException {
        long start = System.nanoTime();
        try (Registry registry = Registry.builder().start()) {
            if (!get(registry.port()).startsWith("HTTP/1.1 200")) throw new IllegalStateException("no 200");
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void heap(int count) throws Exception {
        startRequestClose();
        long threadsBefore = Thread.activeCount();
        long before = usedHeapAfterGc();
        List<Registry> registries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Registry registry = Registry.builder().start();
            get(registry.port());
            registries.add(registry);
        }
        long after = usedHeapAfterGc();
        long threads = Thread.activeCount() - threadsBefore;
        registries.forEach(Registry::close);
        System.out.printf("idle registries: %d running at once: %.1f KiB heap and %.1f threads per registry%n",
                count, (after - before) / 1024.0 / count, threads / (double) count);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Cold JVM: one registry on {@code port}, one request to itself, then waits to be killed. */
    private static void child(int port) throws Exception {
        Registry registry = Registry.builder().port(port).start();
        long started = System.nanoTime();
        String status = get(registry.port());
        long answered = System.nanoTime();
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
        long now = System.currentTimeMillis();
        System.out.printf("child: %s; main() -> started %.1f ms -> first answer %.1f ms; JVM start -> first answer %d ms;"
                + " process CPU so far %d ms%n", status, (started - MAIN_ENTRY_NANOS) / 1e6,
                (answered - MAIN_ENTRY_NANOS) / 1e6, now - ManagementFactory.getRuntimeMXBean().getStartTime(), cpu);
        System.out.flush();
        System.in.read();
        registry.close();
    }

    /** Baseline for a cold JVM: plain Undertow answering 200, nothing of Stevedore. */
    private static void bareUndertow(int port) throws Exception {
        io.undertow.Undertow server = io.undertow.Undertow.builder().addHttpListener(port, "127.0.0.1")
                .setHandler(exchange -> exchange.setStatusCode(200)).build();
        server.start();
        System.in.read();
        server.stop();
    }

    private static void compare(int reps) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        Path dir = Files.createTempDirectory("startup-bench");
        double[] stevedore = new double[reps];
        double[] distribution = new double[reps];
        double[] bare = new double[reps];
        List<String> childLines = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            int port = freePort();
            ProcessBuilder child = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-Dorg.jboss.logging.provider=slf4j", "-cp", classpath, StartupBenchmark.class.getName(),
                    "child", String.valueOf(port)).redirectErrorStream(true);
            stevedore[rep] = timeToFirst200(child, port, childLines);

            port = freePort();
            bare[rep] = timeToFirst200(new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-Dorg.jboss.logging.provider=slf4j", "-cp", classpath, StartupBenchmark.class.getName(),
                    "child-bare", String.valueOf(port)).redirectErrorStream(true), port, null);

            port = freePort();
            Path config = dir.resolve("config-" + rep + ".yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: error\nstorage:\n  inmemory: {}\n"
                    + "http:\n  addr: 127.0.0.1:" + port + "\n");
            ProcessBuilder registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                    .redirectErrorStream(true);
            distribution[rep] = timeToFirst200(registry, port, null);
        }
        Arrays.sort(stevedore);
        Arrays.sort(distribution);
        Arrays.sort(bare);
        System.out.printf("process spawn -> first 200 on /v2/, %d runs each (median, min, max):%n", reps);
        System.out.printf("  stevedore (cold JVM, java -cp, in-memory): %.1f ms, %.1f, %.1f%n",
                percentile(stevedore, 50), stevedore[0], stevedore[reps - 1]);
        System.out.printf("  bare Undertow (cold JVM, same classpath):   %.1f ms, %.1f, %.1f%n",
                percentile(bare, 50), bare[0], bare[reps - 1]);
        System.out.printf("  docker-registry 2.8.2 serve (inmemory):    %.1f ms, %.1f, %.1f%n",
                percentile(distribution, 50), distribution[0], distribution[reps - 1]);
        childLines.forEach(line -> System.out.println("  " + line));
    }

    private static double timeToFirst200(ProcessBuilder builder, int port, List<String> firstLines) throws Exception {
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            long deadline = start + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new IllegalStateException("exited: " + new String(process.getInputStream().readAllBytes()));
                try {
                    if (get(port).startsWith("HTTP/1.1 200")) {
                        double millis = (System.nanoTime() - start) / 1e6;
                        if (firstLines != null) firstLines.add(readLine(process.getInputStream()));
                        return millis;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(1);
                }
            }
            throw new IllegalStateException("no 200 within 30 s");
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
        return line.toString();
    }

    private static String get(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /v2/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = socket.getInputStream().readNBytes(15);
            return new String(head, StandardCharsets.US_ASCII);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
