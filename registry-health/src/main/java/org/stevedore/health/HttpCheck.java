package org.stevedore.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * distribution's {@code health.http} check: a HEAD request (as distribution sends) to the URI,
 * with the configured headers, answers the expected status within the timeout.
 */
public final class HttpCheck implements HealthCheck {
    private final HttpClient client;
    private final HttpRequest request;
    private final int expectedStatus;

    public HttpCheck(URI uri, Map<String, List<String>> headers, int expectedStatus, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        headers.forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        this.request = builder.build();
        this.expectedStatus = expectedStatus;
    }

    @Override
    public void check() throws IOException, InterruptedException {
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IOException("error while checking: " + e.getMessage(), e);
        }
        if (response.statusCode() != expectedStatus) {
            throw new IOException("downstream service returned unexpected status: " + response.statusCode());
        }
    }
}
