package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Plain {@code java.net.http} requests to a registry's {@code /v2/} API, for checks after a client ran. */
final class RegistryHttp {
    static final String MANIFEST_TYPES = String.join(",",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final URI base;

    RegistryHttp(URI base) {
        this.base = base;
    }

    URI resolve(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException {
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    HttpResponse<byte[]> get(String path, String accept) throws IOException {
        return send(HttpRequest.newBuilder(resolve(path)).header("Accept", accept).GET());
    }

    /** GET of {@code path}; asserts 200 and returns the body. */
    byte[] getOk(String path, String accept) throws IOException {
        HttpResponse<byte[]> response = get(path, accept);
        assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + new String(response.body()));
        return response.body();
    }

    /** GET of a JSON document such as the tag list or catalog; asserts 200. */
    JsonNode json(String path) throws IOException {
        return JSON.readTree(getOk(path, "application/json"));
    }

    static JsonNode parse(byte[] json) throws IOException {
        return JSON.readTree(json);
    }

    /** The strings of a JSON array, sorted: tag and repository lists compare as sets. */
    static List<String> sortedTexts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        values.sort(null);
        return values;
    }
}
