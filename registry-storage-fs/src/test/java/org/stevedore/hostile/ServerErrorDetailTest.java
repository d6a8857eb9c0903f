package org.stevedore.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * A real storage failure (the repositories directory replaced by a plain file, which stops writes
 * even for root) answers 500 with only the request id as detail: no server path, no exception name
 * for a client that may not even be authenticated. The log holds the cause under that request id.
 */
class ServerErrorDetailTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aStorageFaultShowsTheClientTheRequestIdAndTheLogTheCause() throws Exception {
        Path root = Files.createDirectories(temp.resolve("storage"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (LogCapture log = new LogCapture();
             Registry registry = Registry.builder().storage(FilesystemDriver.at(root)).start()) {
            Path v2 = Files.createDirectories(root.resolve("docker/registry/v2"));
            Files.writeString(v2.resolve("repositories"), "a file where a directory belongs");

            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(registry.url().resolve("/v2/broken/blobs/uploads/"))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(500, answer.statusCode(), answer.body());
            JsonNode error = JSON.readTree(answer.body()).path("errors").path(0);
            assertEquals("UNKNOWN", error.path("code").asText());
            String detail = error.path("detail").asText();
            assertTrue(detail.matches("internal error, request id [0-9a-f-]{36}"), detail);
            assertFalse(answer.body().contains(root.toString()) || answer.body().contains("Exception"), answer.body());

            String requestId = detail.substring(detail.lastIndexOf(' ') + 1);
            String logged = log.text();
            assertTrue(logged.contains("request " + requestId + " POST /v2/broken/blobs/uploads/ failed"), logged);
            assertTrue(logged.contains(root.toString()), "the log names the path: " + logged);
        }
    }
}
