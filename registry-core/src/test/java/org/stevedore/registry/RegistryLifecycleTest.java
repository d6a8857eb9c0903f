package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Start and close as embedders rely on: the port is known at once, close is idempotent and
 * leaves no thread and no bound port behind, many registries run side by side.
 */
class RegistryLifecycleTest {

    @Test
    void closeLeavesNoThreadAndNoPortBehind() throws Exception {
        Set<Thread> before = liveThreads();
        Registry registry = Registry.builder().start();
        int port = registry.port();
        assertEquals("HTTP/1.1 200 OK", get(port, "/v2/"));
        assertTrue(liveThreads().size() > before.size(), "a running registry has threads");
        registry.close();
        registry.close(); // idempotent

        Set<String> left = awaitThreadsGone(before);
        assertEquals(Set.of(), left, "threads left after close");
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void urlAndHostPortAreValidAtOnce() {
        try (Registry registry = Registry.builder().start()) {
            assertTrue(registry.port() > 0);
            assertEquals("127.0.0.1:" + registry.port(), registry.hostPort());
            assertEquals("http://127.0.0.1:" + registry.port(), registry.url().toString());
        }
    }

    @Test
    void manyRegistriesRunSideBySideAndStopCleanly() throws Exception {
        Set<Thread> before = liveThreads();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Registry>> started = new ArrayList<>();
        for (int i = 0; i < 16; i++) started.add(pool.submit(() -> Registry.builder().start()));
        List<Registry> registries = new ArrayList<>();
        for (Future<Registry> future : started) registries.add(future.get());
        pool.shutdown();
        Set<Integer> ports = registries.stream().map(Registry::port).collect(Collectors.toSet());
        assertEquals(16, ports.size(), "distinct ports");
        for (Registry registry : registries) {
            registry.fixtures().pushImage("side/by", "side", 16);
            assertEquals("HTTP/1.1 200 OK", get(registry.port(), "/v2/side/by/manifests/side"));
            assertEquals(List.of("side/by"), registry.contents().repositories());
        }
        registries.forEach(Registry::close);
        assertEquals(Set.of(), awaitThreadsGone(before), "threads left after closing all");
    }

    /** The status line of a GET sent over a plain socket, which itself leaves no threads. */
    static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Names of threads not in {@code before} still alive, polled for up to 30 s (stopping threads take a moment). */
    private static Set<String> awaitThreadsGone(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Set<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread) && thread.isAlive())
                    .map(Thread::getName).collect(Collectors.toSet());
            if (left.isEmpty()) return left;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return left;
    }
}
