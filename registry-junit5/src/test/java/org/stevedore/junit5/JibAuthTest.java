package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryEvent;

/**
 * Jib against a registry with embedded Basic users (the surefire configuration sets
 * {@code sendCredentialsOverHttp}, since these registries are plain HTTP on loopback).
 */
class JibAuthTest {
    @RegisterExtension
    static final RegistryExtension REGISTRY = RegistryExtension.builder()
            .users(Map.of("ci", "s3cret"))
            .resetBetweenTests(true)
            .build();

    @TempDir
    Path work;

    @Test
    void pushesWithCredentials(Registry registry) throws Exception {
        JibContainer pushed = push(RegistryImage.named(registry.hostPort() + "/auth/app:1").addCredential("ci", "s3cret"));
        List<RegistryEvent> pushes = registry.events().ofType(RegistryEvent.Type.PUSH);
        assertEquals(1, pushes.size(), pushes::toString);
        assertEquals(Optional.of("ci"), pushes.get(0).user());
        assertEquals(Optional.of(pushed.getDigest().toString()), pushes.get(0).digest());
        assertEquals(List.of("1"), registry.contents().tags("auth/app"));
    }

    @Test
    void failsWithWrongCredentialsAndTheJournalSaysWho(Registry registry) throws Exception {
        RegistryUnauthorizedException failure = assertThrows(RegistryUnauthorizedException.class,
                () -> push(RegistryImage.named(registry.hostPort() + "/auth/app:2").addCredential("ci", "wrong")));
        assertTrue(failure.getImageReference().contains("auth/app"), failure::toString);
        List<RegistryEvent> refused = registry.events().ofType(RegistryEvent.Type.AUTH_FAILED);
        assertTrue(refused.stream().anyMatch(event -> event.user().equals(Optional.of("ci"))), refused::toString);
        assertEquals(List.of(), registry.contents().repositories());
    }

    private JibContainer push(RegistryImage target) throws Exception {
        Path file = Files.writeString(work.resolve("hello.txt"), "hello");
        return Jib.fromScratch()
                .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
                .containerize(Containerizer.to(target)
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("cache"))
                        .setApplicationLayersCache(work.resolve("cache")));
    }
}
