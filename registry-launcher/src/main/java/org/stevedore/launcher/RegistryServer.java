package org.stevedore.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * The real {@code serve}: a {@link Registry} over a {@link FilesystemDriver}, closed by a JVM
 * shutdown hook, which drains in-flight requests for up to {@link #DRAIN_TIMEOUT}.
 */
final class RegistryServer implements ServeAction {
    /** Bounded so a stuck client cannot hold up a stop; the supervisor's kill usually comes later. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

    @Override
    public int serve(ServeOptions options, PrintWriter out) throws InterruptedException {
        Path root = options.root().toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create storage root " + root + ": " + e, e);
        }
        Registry registry = start(options, root);
        DigestWarmUp.startInBackground();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(registry), "stevedore-shutdown"));
        ExitOnSignal.install("TERM", "INT");

        String where = registry.url() + (options.address().isEveryInterface() ? " (all interfaces)" : "");
        out.println("stevedore serving " + where + ", storage root " + root);
        out.flush();

        // The server runs on its own threads; the process ends through a signal or System.exit.
        new CountDownLatch(1).await();
        return 0;
    }

    private static Registry start(ServeOptions options, Path root) {
        try {
            return LifecycleSettings.apply(options.lifecycle(), Registry.builder())
                    .storage(FilesystemDriver.at(root))
                    .bindAddress(options.address().bindAddress())
                    .port(options.address().port())
                    .accessLogAtInfo(true)
                    .drainTimeout(DRAIN_TIMEOUT)
                    .start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve on " + options.address() + ": " + rootMessage(e), e);
        }
    }

    private static void stop(Registry registry) {
        LOG.info("stopping: letting running requests finish (up to {} s)", DRAIN_TIMEOUT.toSeconds());
        registry.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
