package org.stevedore.interop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy on 127.0.0.1 in front of a registry that counts the blob GETs passing through,
 * so a test can tell whether a pull-through cache went upstream. Forwards GET and HEAD with the
 * headers registries use; redirects are passed back, not followed.
 */
final class CountingProxy implements AutoCloseable {
    private static final List<String> REQUEST_HEADERS = List.of("Accept", "Authorization", "Range");
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Docker-Content-Digest",
            "Docker-Distribution-Api-Version", "WWW-Authenticate", "Location", "Content-Range", "Etag");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private final AtomicInteger blobGets = new AtomicInteger();

    CountingProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** GETs of {@code /v2/<name>/blobs/<digest>} forwarded so far. */
    int blobGets() {
        return blobGets.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (method.equals("GET") && path.contains("/blobs/sha256:")) blobGets.incrementAndGet();
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(path + (query == null ? "" : "?" + query)))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            for (String name : REQUEST_HEADERS) {
                List<String> values = exchange.getRequestHeaders().get(name);
                if (values != null) values.forEach(value -> request.header(name, value));
            }
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            for (String name : RESPONSE_HEADERS) {
                response.headers().allValues(name).forEach(value -> exchange.getResponseHeaders().add(name, value));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean noBody = method.equals("HEAD") || length == 0;
            if (method.equals("HEAD")) exchange.getResponseHeaders().add("Content-Length", String.valueOf(length));
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : length);
            try (InputStream in = response.body()) {
                if (!noBody) {
                    OutputStream out = exchange.getResponseBody();
                    in.transferTo(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException upstreamDown) {
            // The registry behind is gone: answer as a dead upstream's gateway would, if still possible.
            try {
                exchange.sendResponseHeaders(502, -1);
            } catch (IOException alreadyAnswering) {
                // Headers went out already; closing the exchange below cuts the response.
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
