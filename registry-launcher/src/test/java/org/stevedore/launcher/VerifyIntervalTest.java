package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import picocli.CommandLine;

/**
 * {@code policies.verify.interval} from a variable: the server verifies its storage online and
 * the debug listener's metrics show what the last run found; an unknown key under
 * {@code policies.verify} warns as everywhere.
 */
class VerifyIntervalTest {
    @TempDir
    Path temp;

    private final List<RunningServer> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        started.forEach(RunningServer::close);
    }

    @Test
    void thePeriodicVerifyFindsAPlantedCorruptionAndTheMetricShowsIt() throws Exception {
        StringWriter err = new StringWriter();
        RunningServer server = serve(Map.of("REGISTRY_POLICIES_VERIFY_INTERVAL", "200ms",
                "REGISTRY_POLICIES_VERIFY_EVERY", "1h",
                "REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0", "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true"), err);
        assertTrue(err.toString().contains("REGISTRY_POLICIES_VERIFY_EVERY"), err.toString());
        PushedImage image = server.registry().fixtures().pushImage("team/app", "v1", ImageSpec.layers(2000).seed(1));
        var layer = image.layers().get(0);
        Files.write(temp.resolve("storage/docker/registry/v2/blobs/sha256/" + layer.encoded().substring(0, 2) + "/"
                + layer.encoded() + "/data"), new byte[] {7});

        URI metrics = URI.create(server.debug().orElseThrow().url() + "/metrics");
        String text = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (text.contains("stevedore_verify_findings 1.0")) break;
            Thread.sleep(50);
        }
        assertTrue(text.contains("stevedore_verify_findings 1.0"), text);
        assertTrue(text.contains("stevedore_verify_runs_total"), text);
    }

    private RunningServer serve(Map<String, String> env, StringWriter err) {
        RegistryServer server = new RegistryServer(AuthFactory.UNAVAILABLE, S3StorageFactory.UNAVAILABLE);
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer));
            return 0;
        }, env);
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(0, commandLine.execute("serve", "--addr", "127.0.0.1:0", "--root", temp.resolve("storage").toString()),
                err.toString());
        return started.get(0);
    }
}
