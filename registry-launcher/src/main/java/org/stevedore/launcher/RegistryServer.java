package org.stevedore.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.notifications.Notifier;
import org.stevedore.policies.PoliciesApi;
import org.stevedore.policies.RetentionSchedule;
import org.stevedore.proxy.PullThroughCache;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryBuilder;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.RootLock;
import org.stevedore.ui.WebUi;

/**
 * The real {@code serve}: a {@link Registry} built from the effective configuration, closed by a
 * JVM shutdown hook, which drains in-flight requests for up to {@code http.draintimeout}
 * (default {@link HttpConfig#DEFAULT_DRAIN_TIMEOUT}).
 */
final class RegistryServer implements ServeAction {
    private final AuthFactory authFactory;
    private final S3StorageFactory s3Factory;

    RegistryServer(AuthFactory authFactory, S3StorageFactory s3Factory) {
        this.authFactory = authFactory;
        this.s3Factory = s3Factory;
    }

    @Override
    public int serve(ServeOptions options, PrintWriter out) throws Exception {
        LogSetup.apply(options.config().logLevel(), options.config().log());
        // With JSON logs every line a log shipper sees must be JSON: the banner goes through the logger.
        PrintWriter banner = options.config().log().formatter() == LogConfig.Formatter.JSON
                ? LogSetup.lineLogger(LoggerFactory.getLogger(RegistryServer.class)) : out;
        RunningServer registry = start(options, banner);
        DigestWarmUp.startInBackground();
        Duration drain = options.config().http().drainTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(registry, drain), "stevedore-shutdown"));
        ExitOnSignal.install("TERM", "INT");
        // The server runs on its own threads; the process ends through a signal or System.exit.
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * Starts the server described by {@code options} and prints where it serves. The caller stops
     * it with {@link #close(RunningServer)}, which also closes the storage driver built here.
     */
    RunningServer start(ServeOptions options, PrintWriter out) throws Exception {
        RegistryConfig config = options.config();
        StorageConfig storage = config.storage();
        StorageDriver driver = storageDriver(storage);
        Optional<RootLock> lock;
        try {
            lock = rootLock(storage);
        } catch (Exception | Error e) {
            closeDriver(driver);
            throw e;
        }
        try {
            return start(options, out, driver, lock);
        } catch (Exception | Error e) {
            closeDriver(driver); // nothing else will: the registry never started
            if (lock.isPresent()) lock.get().close();
            throw e;
        }
    }

    /**
     * Stops a server from {@link #start}, then its storage driver: a registry never closes a
     * driver it was given (see {@code RegistryBuilder.storage}), and this launcher built it, so the
     * launcher releases it (the S3 driver's connections and threads).
     */
    static void close(RunningServer server) {
        server.close();
        closeDriver(server.storage());
    }

    static void closeDriver(StorageDriver driver) {
        if (!(driver instanceof AutoCloseable closeable)) return;
        try {
            closeable.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(RegistryServer.class).warn("closing {} storage failed", driver.name(), e);
        }
    }

    /**
     * A writing server on a filesystem root holds its {@link RootLock} until the registry closes,
     * so offline garbage collection refuses to run beside it; a read-only one takes none.
     */
    private static Optional<RootLock> rootLock(StorageConfig storage) throws IOException {
        if (storage.readOnly() || !(storage.driver() instanceof StorageConfig.Driver.Filesystem fs)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RootLock.forServing(fs.root()));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private RunningServer start(ServeOptions options, PrintWriter out, StorageDriver built, Optional<RootLock> lock)
            throws Exception {
        RegistryConfig config = options.config();
        StorageConfig storage = config.storage();
        Observability observability = new Observability(config);
        StorageDriver driver = observability.meter(built);
        RegistryBuilder builder = Registry.builder()
                .storage(driver)
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
        Optional<org.stevedore.policies.Quotas> quotas = config.policies().quotas(driver, config.limits().manifestBytes());
        builder = builder.manifestGuard(config.policies().guard(quotas));
        quotas.ifPresent(q -> observability.exportRepositoryUsage(q.gauges()));
        if (config.policies().retention().rules().stream().anyMatch(rule -> rule.keepWithin().isPresent())
                && !storage.readOnly()) {
            // keepwithin counts pulls: record them (one write per tag per interval).
            org.stevedore.policies.PullRecorder pulls = new org.stevedore.policies.PullRecorder(driver,
                    org.stevedore.policies.PullRecorder.DEFAULT_INTERVAL, java.time.Clock.systemUTC());
            builder = builder.requestObserver(pulls).closing(pulls);
        }
        Optional<org.stevedore.policies.VerifySchedule> verify = config.policies().verifyInterval()
                .map(interval -> new org.stevedore.policies.VerifySchedule(interval, java.time.Clock.systemUTC()));
        if (verify.isPresent()) {
            builder = builder.closing(verify.get());
            observability.exportVerify(verify.get()::runs, verify.get()::findings);
        }
        RetentionSchedule retention = new RetentionSchedule(config.policies(), java.time.Clock.systemUTC());
        builder = builder.closing(retention)
                .api(service -> new PoliciesApi(service, config.policies(), java.time.Clock.systemUTC()));
        StorageConfig.UploadPurging purging = storage.uploadPurging();
        if (lock.isPresent()) builder = builder.closing(lock.get());
        if (purging.enabled()) builder = builder.uploadPurging(purging.age(), purging.interval(), purging.dryRun());
        if (storage.garbageCollection().isPresent()) {
            StorageConfig.GarbageCollection gc = storage.garbageCollection().get();
            builder = builder.garbageCollection(gc.interval(), gc.gracePeriod()).garbageCollectionLease(gc.lease());
        }
        if (config.auth().isPresent()) {
            AuthFactory.AuthSetup auth = authFactory.setUp(config.auth().get());
            builder = builder.accessController(auth.controller());
            for (var route : auth.routes().entrySet()) builder = builder.extraRoute(route.getKey(), route.getValue());
        }
        if (!config.proxy().isEmpty()) builder = builder.contentSource(PullThroughCache.over(config.proxy()));
        Optional<TlsSetup.Prepared> tls = config.http().tls().map(t -> TlsSetup.prepare(t, storage));
        if (tls.isPresent()) builder = builder.tls(tls.get().context());
        Optional<Notifier> notifier = ConfiguredNotifications.notifier(config);
        if (notifier.isPresent()) builder = builder.requestObserver(notifier.get()).closing(notifier.get());
        notifier.ifPresent(observability::exportNotifications);
        if (config.ui().enabled()) {
            // Governance pages show what the same policies enforce: usage and quotas, the retention preview.
            builder = builder.mount(WebUi.PREFIX, ConfiguredUi.webUi(config.ui(), config.auth()).policies(config.policies()));
        }
        builder = observability.wire(builder, driver);
        Registry registry;
        try {
            registry = builder.start();
        } catch (RuntimeException e) {
            notifier.ifPresent(Notifier::close);
            observability.close();
            throw new IllegalStateException("cannot serve on " + options.address() + ": " + rootMessage(e), e);
        }
        notifier.ifPresent(n -> n.attach(registry));
        if (!storage.readOnly()) retention.start(registry.service());
        verify.ifPresent(v -> v.start(registry.service()));
        Optional<DebugServer> debug;
        try {
            debug = observability.startDebug();
        } catch (RuntimeException e) {
            observability.close();
            registry.close();
            throw e;
        }
        String where = registry.url() + (options.address().isEveryInterface() ? " (all interfaces)" : "");
        out.println("stevedore serving " + where + ", " + EffectiveState.describe(config)
                + (config.proxy().isEmpty() ? "" : ", pull-through cache of " + config.proxy().stream()
                        .map(u -> (u.prefix().isEmpty() ? "" : u.prefix() + " -> ") + u.remoteUrl()).toList()));
        if (config.ui().enabled()) out.println("web UI on " + registry.url() + WebUi.PREFIX);
        tls.ifPresent(prepared -> prepared.printInstructions(out, registry.port()));
        debug.ifPresent(d -> out.println("debug listener on " + d.url() + ": " + DebugServer.HEALTH_PATH
                + config.http().debug().filter(DebugConfig::prometheus).map(c -> ", " + c.prometheusPath()).orElse("")));
        out.flush();
        return new RunningServer(registry, observability, built);
    }

    private StorageDriver storageDriver(StorageConfig storage) throws Exception {
        return StorageDrivers.open(storage, s3Factory);
    }

    private static void stop(RunningServer registry, Duration drain) {
        Logger log = LoggerFactory.getLogger(RegistryServer.class);
        log.info("stopping: letting running requests finish (up to {} s)", drain.toSeconds());
        close(registry);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
