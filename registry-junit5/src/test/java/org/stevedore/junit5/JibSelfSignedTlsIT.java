package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;

/**
 * Jib pushes over verified HTTPS, with no insecure-registry switch, once the JVM trusts the CA the
 * extension exposes. Jib reads only the JVM-wide trust store, so this class runs in Failsafe's JVM,
 * whose {@code javax.net.ssl.trustStore} (set in the pom) names the file written here before any TLS.
 * (An untrusted CA is refused too, but Jib retries handshakes for about a minute first, so that
 * side is checked with java.net.http in {@link SelfSignedTlsExtensionTest}.)
 */
class JibSelfSignedTlsIT {
    @RegisterExtension
    static final RegistryExtension REGISTRY = RegistryExtension.builder().selfSignedTls().build();

    @TempDir
    Path work;

    @BeforeAll
    static void trustTheRegistryJvmWide() throws Exception {
        String trustStore = System.getProperty("javax.net.ssl.trustStore");
        String password = System.getProperty("javax.net.ssl.trustStorePassword");
        assertNotNull(trustStore, "Failsafe must set javax.net.ssl.trustStore (registry-junit5/pom.xml)");
        assertNotNull(password, "Failsafe must set javax.net.ssl.trustStorePassword (registry-junit5/pom.xml)");
        REGISTRY.tls().orElseThrow().writeTrustStore(Path.of(trustStore), password.toCharArray());
    }

    @Test
    void jibPushesOverVerifiedTls(Registry registry) throws Exception {
        assertEquals("https", registry.url().getScheme());
        JibContainer pushed = push(registry.hostPort() + "/tls/app:1");
        assertEquals(pushed.getDigest().toString(),
                registry.contents().manifest("tls/app", "1").orElseThrow().digest().toString());
        // The certificate names localhost too, so references by name verify as well.
        JibContainer byName = push("localhost:" + registry.port() + "/tls/app:2");
        assertEquals(pushed.getDigest(), byName.getDigest());
        assertEquals(List.of("1", "2"), registry.contents().tags("tls/app"));
    }

    private JibContainer push(String image) throws Exception {
        Path file = Files.writeString(work.resolve("hello.txt"), "hello over TLS");
        // No setAllowInsecureRegistries: Jib verifies the certificate and the host name.
        return Jib.fromScratch()
                .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
                .containerize(Containerizer.to(RegistryImage.named(image))
                        .setBaseImageLayersCache(work.resolve("cache"))
                        .setApplicationLayersCache(work.resolve("cache")));
    }
}
