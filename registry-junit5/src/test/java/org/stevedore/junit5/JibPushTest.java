package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryEvent;
import org.stevedore.registry.RegistryEvent.Type;

/** Jib pushes into a registry per test: the journal records the push exactly; injected faults make Jib retry or fail. */
class JibPushTest {
    @RegisterExtension
    final RegistryExtension registry = RegistryExtension.builder().build();

    @TempDir
    Path work;

    @Test
    void journalRecordsTheJibPushExactly(Registry registry) throws Exception {
        JibContainer pushed = push(registry.hostPort() + "/demo/app:1");

        List<RegistryEvent> events = registry.events().all();
        assertEquals(List.of(Type.BLOB_PUSH, Type.BLOB_PUSH, Type.PUSH), events.stream().map(RegistryEvent::type).toList(),
                events::toString);
        RegistryEvent push = events.get(2);
        assertEquals(Optional.of("demo/app"), push.repository());
        assertEquals(Optional.of("1"), push.reference());
        assertEquals(Optional.of(pushed.getDigest().toString()), push.digest());
        assertEquals(Optional.empty(), push.user());

        JsonNode manifest = new ObjectMapper().readTree(registry.contents().manifest("demo/app", "1").orElseThrow().bytes());
        Set<String> blobs = Set.of(pushed.getImageId().toString(), manifest.path("layers").get(0).path("digest").asText());
        assertEquals(pushed.getImageId().toString(), manifest.path("config").path("digest").asText());
        Set<String> pushedBlobs = new HashSet<>();
        for (RegistryEvent event : events.subList(0, 2)) {
            pushedBlobs.add(event.digest().orElseThrow());
            assertEquals(Optional.of("demo/app"), event.repository());
        }
        assertEquals(blobs, pushedBlobs, "config and layer, each once");
    }

    @Test
    void jibRetriesDroppedConnections(Registry registry) throws Exception {
        registry.faults().disconnectNext(2, "HEAD", "/blobs/");
        JibContainer pushed = push(registry.hostPort() + "/retry/app:1");
        assertEquals(2, registry.faults().triggered(), "both dropped requests were made, and retried");
        assertEquals(pushed.getDigest(), com.google.cloud.tools.jib.api.DescriptorDigest.fromDigest(
                registry.contents().manifest("retry/app", "1").orElseThrow().digest().toString()));
    }

    @Test
    void jibFailsWhenTheManifestPutAnswers503(Registry registry) {
        registry.faults().failNext(1, "PUT", "/manifests/", 503);
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> push(registry.hostPort() + "/failing/app:1"));
        assertTrue(String.valueOf(failure.getCause()).contains("503"), failure::toString);
        assertEquals(List.of(), registry.events().ofType(Type.PUSH), "no manifest was stored");
        assertEquals(List.of(), registry.contents().tags("failing/app"));
    }

    private JibContainer push(String image) throws Exception {
        Path file = Files.writeString(work.resolve("hello.txt"), "hello from " + image);
        return Jib.fromScratch()
                .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
                .containerize(Containerizer.to(RegistryImage.named(image))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("cache"))
                        .setApplicationLayersCache(work.resolve("cache")));
    }
}
