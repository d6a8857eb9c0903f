package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/**
 * Who releases the S3 driver's pooled connections: not {@link Registry#close()}, since the driver
 * was given to it (it stays usable for its owner), but {@link S3Driver#close()}, which must close
 * them all, including the HTTP client the SDK leaves open. Connections are read from the kernel's
 * socket table ({@code /proc/net/tcp*}, the CI's Linux), keyed by local port, so other tests'
 * connections to the same S3Proxy do not count.
 */
class S3DriverCloseTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @Test
    void registryCloseKeepsTheDriverAndDriverCloseReleasesItsConnections() throws Exception {
        int s3Port = S3.requireEndpoint().uri().getPort();
        Set<Integer> before = establishedLocalPortsTo(s3Port);
        S3Driver driver = S3Driver.create(S3.settings().withRedirect(false));
        try (Registry registry = Registry.builder().storage(driver).start()) {
            String digest = S3Http.pushBlob(registry, "team/app", "layer".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, S3Http.send(registry, "GET", "/v2/team/app/blobs/" + digest, new byte[0]).statusCode());
        }
        // The registry is closed; the driver is its owner's, and still works.
        assertFalse(driver.list("/docker/registry/v2/repositories").isEmpty());
        Set<Integer> mine = establishedLocalPortsTo(s3Port);
        mine.removeAll(before);
        assertFalse(mine.isEmpty(), "the driver keeps pooled connections to S3 while open");

        driver.close();
        driver.close(); // idempotent
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<Integer> left = new HashSet<>(mine);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.retainAll(establishedLocalPortsTo(s3Port));
            if (!left.isEmpty()) Thread.sleep(10); // bounded polling while the pool shuts its sockets
        }
        assertTrue(left.isEmpty(), "connections still open after close, local ports " + left);
    }

    /** Local ports of established TCP connections to {@code remotePort} on this host. */
    private static Set<Integer> establishedLocalPortsTo(int remotePort) throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) continue;
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // f[1] local address:port, f[2] remote address:port (hex), f[3] state; 01 = ESTABLISHED
                if (f.length > 3 && f[3].equals("01") && port(f[2]) == remotePort) ports.add(port(f[1]));
            }
        }
        return ports;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }
}
