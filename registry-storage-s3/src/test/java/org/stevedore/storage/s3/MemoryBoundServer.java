package org.stevedore.storage.s3;

import java.util.HashMap;
import java.util.Map;
import org.stevedore.registry.Registry;

/**
 * A registry over S3 in a JVM of its own, for {@link S3MemoryBoundIT}: started with a small
 * {@code -Xmx}, it prints {@code URL <url>} and serves until its standard input closes. Arguments
 * are {@code key=value} {@code storage.s3} parameters.
 */
public final class MemoryBoundServer {
    private MemoryBoundServer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> parameters = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            parameters.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (S3Driver driver = S3Driver.create(S3DriverSettings.fromParameters(parameters).withRedirect(false));
                Registry registry = Registry.builder().storage(driver).start()) {
            System.out.println("URL " + registry.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the test closes our standard input
            }
        }
    }
}
