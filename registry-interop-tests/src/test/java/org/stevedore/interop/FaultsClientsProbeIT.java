package org.stevedore.interop;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.registry.FaultMatch;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;

class FaultsClientsProbeIT {
    private static final FaultMatch BLOB_GETS = FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB);
    @TempDir
    Path work;

    @Test
    void jib429() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedImage image = registry.fixtures().pushImage("limited/app", "1", ImageSpec.layers(50_000).seed(1));
            registry.faults().rateLimitNext(1, BLOB_GETS, Duration.ofSeconds(1));
            try {
                System.out.println("PROBE jib429 " + JibPull.layerDigests(registry.hostPort() + "/limited/app:1", work.resolve("jib"))
                        + " expected " + image.layers() + " triggered " + registry.faults().triggered());
            } catch (Exception e) {
                System.out.println("PROBE jib429 failed: " + e);
            }
        }
    }

    @Test
    void skopeoTruncated() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            registry.fixtures().pushImage("cut/app", "1", ImageSpec.layers(100_000).randomBytes().seed(2));
            registry.faults().truncateNext(1, BLOB_GETS, 10_000);
            Processes.Result copy = Skopeo.in(work.resolve("skopeo")).tryCopy("docker://" + registry.hostPort() + "/cut/app:1",
                    "oci:" + work.resolve("pulled") + ":1", "--src-tls-verify=false", "--retry-times=3");
            System.out.println("PROBE truncated " + registry.faults().triggered() + " " + copy.describe());
        }
    }

    @Test
    void skopeoThrottled() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            registry.fixtures().pushImage("slow/app", "1", ImageSpec.layers(150_000, 150_000).randomBytes().seed(3));
            registry.faults().throttleNext(2, BLOB_GETS, 200_000);
            long start = System.nanoTime();
            Processes.Result copy = Skopeo.in(work.resolve("skopeo")).tryCopy("docker://" + registry.hostPort() + "/slow/app:1",
                    "oci:" + work.resolve("pulled") + ":1", "--src-tls-verify=false");
            System.out.println("PROBE throttled " + registry.faults().triggered() + " ms " + (System.nanoTime() - start) / 1_000_000 + " " + copy.describe());
        }
    }

    @Test
    void skopeoToken() throws Exception {
        Path htpasswd = Files.writeString(work.resolve("htpasswd"), "ci:" + Bcrypt.hash("ci-pw", 4) + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AuthConfigurations.BuiltInTokenServer tokens = AuthConfigurations.builtInToken(
                URI.create("http://127.0.0.1:" + port + "/token"), "stevedore", "stevedore", htpasswd, Optional.empty());
        try (Registry registry = Registry.builder().port(port).accessController(tokens.controller())
                .extraRoute(tokens.path(), tokens.endpoint()).start()) {
            registry.fixtures().pushImage("tokens/app", "1", ImageSpec.layers(40_000, 30_000).seed(3));
            registry.faults().expireTokensOnNext(1, BLOB_GETS);
            Processes.Result copy = Skopeo.in(work.resolve("skopeo")).tryCopy("docker://" + registry.hostPort() + "/tokens/app:1",
                    "oci:" + work.resolve("pulled") + ":1", "--src-tls-verify=false", "--src-creds", "ci:ci-pw", "--retry-times=2");
            System.out.println("PROBE token " + registry.faults().triggered() + " " + copy.describe());
        }
    }
}
