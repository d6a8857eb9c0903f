package org.stevedore.notifications;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A webhook receiver on 127.0.0.1 for tests: records every POST (headers and body) and answers
 * 200, fails the first N with 500, or never answers. Closing releases hanging requests.
 */
final class HookServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One POST as received. */
    record Received(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;
    private final boolean hang;
    private final CountDownLatch released = new CountDownLatch(1);

    private HookServer(int failFirst, boolean hang) {
        this.failuresLeft = new AtomicInteger(failFirst);
        this.hang = hang;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Answers 200 to everything. */
    static HookServer accepting() {
        return new HookServer(0, false);
    }

    /** Answers 500 to the first {@code failures} POSTs, then 200. */
    static HookServer failingFirst(int failures) {
        return new HookServer(failures, false);
    }

    /** Reads each request and never answers until closed. */
    static HookServer hanging() {
        return new HookServer(0, true);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Every event of every envelope received, in arrival order. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (Received r : received) {
            try {
                JSON.readTree(r.body()).path("events").forEach(events::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    /** Polls (bounded) until the events received so far satisfy {@code done}; returns them. */
    List<JsonNode> awaitEvents(Predicate<List<JsonNode>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> events = events();
            if (done.test(events)) return events;
            if (System.nanoTime() > deadline) return fail("events received so far do not match: " + events);
            Thread.sleep(20);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (hang) {
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
        if (status == 200) received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
