package org.stevedore.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.auth.AccessController;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryBuilder;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * The real {@code serve}: a {@link Registry} built from the effective configuration, closed by a
 * JVM shutdown hook, which drains in-flight requests for up to {@code http.draintimeout}
 * (default {@link HttpConfig#DEFAULT_DRAIN_TIMEOUT}).
 */
final class RegistryServer implements ServeAction {
    /** slf4j-simple reads its level once, when the first logger is made: so no static logger here. */
    static final String SIMPLE_LOGGER_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private final AuthFactory authFactory;
    private final S3StorageFactory s3Factory;

    RegistryServer(AuthFactory authFactory, S3StorageFactory s3Factory) {
        this.authFactory = authFactory;
        this.s3Factory = s3Factory;
    }

    @Override
    public int serve(ServeOptions options, PrintWriter out) throws Exception {
        // log.level becomes the backend's level, unless -Dorg.slf4j.simpleLogger.defaultLogLevel says otherwise.
        // Nothing has logged yet in this process, so slf4j-simple has not read its settings.
        if (System.getProperty(SIMPLE_LOGGER_LEVEL) == null) {
            System.setProperty(SIMPLE_LOGGER_LEVEL, options.config().logLevel().name().toLowerCase(java.util.Locale.ROOT));
        }
        Registry registry = start(options, out);
        DigestWarmUp.startInBackground();
        Duration drain = options.config().http().drainTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(registry, drain), "stevedore-shutdown"));
        ExitOnSignal.install("TERM", "INT");
        // The server runs on its own threads; the process ends through a signal or System.exit.
        new CountDownLatch(1).await();
        return 0;
    }

    /** Starts the server described by {@code options} and prints where it serves; the caller closes it. */
    Registry start(ServeOptions options, PrintWriter out) throws Exception {
        RegistryConfig config = options.config();
        StorageConfig storage = config.storage();
        RegistryBuilder builder = Registry.builder()
                .storage(storageDriver(storage))
                .bindAddress(options.address().bindAddress())
                .port(options.address().port())
                .accessLogAtInfo(true) // shown at log.level info and debug, as distribution's access log
                .drainTimeout(config.http().drainTimeout())
                .deleteEnabled(storage.deleteEnabled())
                .readOnly(storage.readOnly())
                .responseHeaders(config.http().headers())
                .maxManifestBytes(config.limits().manifestBytes())
                .maxUploadSessions(config.limits().uploadSessions())
                .uploadIdleTimeout(config.limits().uploadIdle())
                .maxHeaderBytes(config.limits().headerBytes())
                .maxPageSize(config.limits().pageSize());
        StorageConfig.UploadPurging purging = storage.uploadPurging();
        if (purging.enabled()) builder = builder.uploadPurging(purging.age(), purging.interval(), purging.dryRun());
        if (storage.garbageCollection().isPresent()) {
            StorageConfig.GarbageCollection gc = storage.garbageCollection().get();
            builder = builder.garbageCollection(gc.interval(), gc.gracePeriod());
        }
        if (config.auth().isPresent()) builder = builder.accessController(accessController(config.auth().get()));
        Optional<TlsSetup.Prepared> tls = config.http().tls().map(t -> TlsSetup.prepare(t, storage));
        if (tls.isPresent()) builder = builder.tls(tls.get().context());
        Registry registry;
        try {
            registry = builder.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve on " + options.address() + ": " + rootMessage(e), e);
        }
        String where = registry.url() + (options.address().isEveryInterface() ? " (all interfaces)" : "");
        out.println("stevedore serving " + where + ", " + describe(storage.driver())
                + config.auth().map(a -> ", auth " + a.type()).orElse(""));
        tls.ifPresent(prepared -> prepared.printInstructions(out, registry.port()));
        out.flush();
        return registry;
    }

    private StorageDriver storageDriver(StorageConfig storage) throws Exception {
        StorageConfig.Driver driver = storage.driver();
        if (driver instanceof StorageConfig.Driver.Filesystem fs) {
            Path root = fs.root().toAbsolutePath().normalize();
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create storage root " + root + ": " + e, e);
            }
            return FilesystemDriver.at(root);
        }
        if (driver instanceof StorageConfig.Driver.InMemory) return InMemoryDriver.create();
        StorageConfig.Driver.S3 s3 = (StorageConfig.Driver.S3) driver;
        return s3Factory.create(s3.parameters(), storage.redirectDisabled());
    }

    private AccessController accessController(AuthConfig auth) throws Exception {
        return authFactory.create(auth);
    }

    private static String describe(StorageConfig.Driver driver) {
        if (driver instanceof StorageConfig.Driver.Filesystem fs) {
            return "storage root " + fs.root().toAbsolutePath().normalize();
        }
        return driver instanceof StorageConfig.Driver.InMemory ? "in-memory storage" : "S3 storage";
    }

    private static void stop(Registry registry, Duration drain) {
        Logger log = LoggerFactory.getLogger(RegistryServer.class);
        log.info("stopping: letting running requests finish (up to {} s)", drain.toSeconds());
        registry.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
