package org.stevedore.proxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven upstream for streaming tests: serves fixed bytes at exact paths, and can send a
 * blob's first bytes, then hold the rest until the test releases them, or cut the connection there.
 */
final class FakeUpstream implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile long pauseAfter = Long.MAX_VALUE;
    private volatile boolean cutAtPause;

    FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = contents.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (head) {
                exchange.close();
                return;
            }
            OutputStream out = exchange.getResponseBody();
            int first = (int) Math.min(pauseAfter, body.length);
            out.write(body, 0, first);
            out.flush();
            if (first < body.length) {
                try {
                    if (cutAtPause || !release.await(20, TimeUnit.SECONDS)) {
                        // Never completes the body: the proxy sees the stream break.
                        exchange.getHttpContext().getServer().stop(0);
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                out.write(body, first, body.length - first);
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void serve(String path, byte[] body) {
        contents.put(path, body);
    }

    /** Sends {@code bytes} of every body, then waits for {@link #release()}. */
    void pauseAfter(long bytes) {
        pauseAfter = bytes;
    }

    /** Sends {@code bytes} of every body, then drops the connection. */
    void cutAfter(long bytes) {
        pauseAfter = bytes;
        cutAtPause = true;
    }

    void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
