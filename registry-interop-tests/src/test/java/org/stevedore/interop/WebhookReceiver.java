package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * A webhook endpoint on 127.0.0.1 for notification tests: records each POST it accepts (headers
 * and body), answers 200, or 500 to the first N, or never answers until closed.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One accepted POST. */
    record Post(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
        }

        int eventCount() {
            try {
                return JSON.readTree(body).path("events").size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;
    private final AtomicInteger hung = new AtomicInteger();
    private final boolean hang;
    private final CountDownLatch closed = new CountDownLatch(1);

    private WebhookReceiver(int failFirst, boolean hang) throws IOException {
        this.failuresLeft = new AtomicInteger(failFirst);
        this.hang = hang;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static WebhookReceiver accepting() throws IOException {
        return new WebhookReceiver(0, false);
    }

    static WebhookReceiver failingFirst(int failures) throws IOException {
        return new WebhookReceiver(failures, false);
    }

    static WebhookReceiver hanging() throws IOException {
        return new WebhookReceiver(0, true);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    /** How many POSTs arrived and are being held without an answer. */
    int hung() {
        return hung.get();
    }

    /** Every event of every accepted envelope, in arrival order. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (Post post : posts) {
            try {
                JSON.readTree(post.body()).path("events").forEach(events::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    /** Polls, bounded by {@code timeout}, until the events so far satisfy {@code done}. */
    List<JsonNode> awaitEvents(Predicate<List<JsonNode>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> events = events();
            if (done.test(events)) return events;
            if (System.nanoTime() > deadline) return fail("the events received do not match: " + events);
            Thread.sleep(50);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (hang) {
            hung.incrementAndGet();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
        if (status == 200) posts.add(new Post(Map.copyOf(exchange.getRequestHeaders()), body));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
