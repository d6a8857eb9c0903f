package org.stevedore.registry;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.Optional;
import org.stevedore.http.HandlerOptions;
import org.stevedore.http.RegistryHandler;
import org.stevedore.registry.fixtures.Fixtures;
import org.stevedore.registry.fixtures.RegistryContents;
import org.stevedore.auth.AccessController;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.StorageDriver;
import org.xnio.Options;

/**
 * A running registry: an Undertow server speaking the OCI distribution API over one storage
 * driver. Made by {@link #builder()}; {@code start()} returns once the socket is bound, so
 * {@link #url()} is valid at once. {@link #close()} drains in-flight requests for a bounded time,
 * then frees the port and threads; it is idempotent. A closed registry is not restarted.
 *
 * <pre>{@code
 * try (Registry registry = Registry.builder().start()) {
 *     URI base = registry.url();              // http://127.0.0.1:49321
 *     String host = registry.hostPort();      // 127.0.0.1:49321, for image references
 * }
 * }</pre>
 *
 * For tests it also offers, without HTTP: {@link #events()} (what clients did), {@link #faults()}
 * (make the next requests fail, drop or wait), {@link #fixtures()} (store generated images),
 * {@link #contents()} (what is stored) and {@link #reset()}. Thread-safe.
 *
 * Published API.
 */
public final class Registry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private final Undertow server;
    private final GracefulShutdownHandler shutdown;
    private final RegistryService service;
    private final HttpHandler handler;
    private final InetSocketAddress address;
    private final Duration drainTimeout;
    private final StorageDriver storage;
    private final boolean ownsStorage;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean tls;
    private final EventJournal events = new EventJournal(EventJournal.DEFAULT_CAPACITY);
    private final Faults faults;
    private final Maintenance maintenance;
    private final List<AutoCloseable> closeables;

    private Registry(RegistrySettings settings) {
        this.storage = settings.storage;
        this.ownsStorage = settings.ownsStorage;
        AccessController controller = settings.accessController;
        this.faults = new Faults(() -> controller != null && controller.expireIssuedTokens());
        this.service = RegistryService.over(storage, settings.maxManifestBytes, settings.maxPageSize,
                new org.stevedore.service.UploadLimits(settings.maxUploadSessions, settings.uploadIdleTimeout),
                settings.manifestGuard);
        org.stevedore.http.RequestObserver observer =
                observers(new EventRecorder(events, java.time.Clock.systemUTC()), settings.requestObservers);
        this.handler = new RegistryHandler(service, new HandlerOptions(settings.idleTimeout.toMillis(),
                settings.accessLogAtInfo, Optional.ofNullable(settings.accessController), settings.deleteEnabled,
                settings.readOnly, settings.responseHeaders),
                observer,
                settings.contentSource == null ? org.stevedore.service.ContentSource.NONE
                        : settings.contentSource.apply(service),
                settings.api == null ? null : settings.api.apply(service));
        this.shutdown = new GracefulShutdownHandler(new RequestHeadCheck(settings.maxHeaderBytes,
                new HttpContinueReadHandler(AvailabilityGate.around(settings.availability,
                        ExtraRoutes.around(settings.extraRoutes, mounted(settings, service, observer),
                                new FaultHandler(faults, handler))))));
        this.drainTimeout = settings.drainTimeout;
        this.closeables = settings.closeables;
        this.tls = settings.tls != null;
        int idleMillis = (int) Math.min(Integer.MAX_VALUE, settings.idleTimeout.toMillis());
        Undertow.Builder builder = Undertow.builder();
        if (settings.tls != null) builder.addHttpsListener(settings.port, settings.bindAddress, settings.tls);
        else builder.addHttpListener(settings.port, settings.bindAddress);
        this.server = builder
                .setIoThreads(settings.ioThreads)
                .setWorkerThreads(settings.workerThreads)
                // Undertow's own limits are looser: RequestHeadCheck applies the configured ones,
                // so that it answers with the error JSON, not Undertow's parser with a bare 400.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, RequestHeadCheck.undertowHeadBytes(settings.maxHeaderBytes))
                .setServerOption(UndertowOptions.MAX_PARAMETERS, RequestHeadCheck.UNDERTOW_MAX_COUNT)
                .setServerOption(UndertowOptions.MAX_HEADERS, RequestHeadCheck.UNDERTOW_MAX_COUNT)
                // Undertow 2.3 cuts request bodies at 2 MiB by default; blob bodies are streamed
                // to storage and may be any size, and manifests are bounded by their handler.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, idleMillis)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, idleMillis)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, idleMillis)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setHandler(shutdown)
                .build();
        server.start();
        this.address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        this.maintenance = Maintenance.start(service, settings);
        LOG.info("Stevedore registry listening on {} with {} storage", url(), storage.name());
    }

    /** The handlers of {@link RegistryBuilder#mount}, made now that the services exist. */
    private static java.util.Map<String, HttpHandler> mounted(RegistrySettings settings, RegistryService service,
                                                              org.stevedore.http.RequestObserver observer) {
        if (settings.mounts.isEmpty()) return java.util.Map.of();
        MountContext context = new MountContext(service, Optional.ofNullable(settings.accessController),
                settings.deleteEnabled, settings.readOnly, settings.tls != null, settings.accessLogAtInfo,
                new org.stevedore.http.ManifestDeleter(service.manifests(), observer, settings.accessLogAtInfo));
        java.util.Map<String, HttpHandler> handlers = new java.util.LinkedHashMap<>();
        settings.mounts.forEach((prefix, factory) -> handlers.put(prefix, factory.apply(context)));
        return handlers;
    }

    /** The journal's recorder first, then the embedder's observers; one failing does not stop the others. */
    private static org.stevedore.http.RequestObserver observers(org.stevedore.http.RequestObserver first,
                                                                List<org.stevedore.http.RequestObserver> rest) {
        if (rest.isEmpty()) return first;
        List<org.stevedore.http.RequestObserver> all = new java.util.ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return new org.stevedore.http.RequestObserver() {
            @Override
            public void completed(org.stevedore.http.CompletedRequest request) {
                for (org.stevedore.http.RequestObserver observer : all) {
                    try {
                        observer.completed(request);
                    } catch (RuntimeException e) {
                        LOG.warn("request observer {} failed", observer.getClass().getName(), e);
                    }
                }
            }

            @Override
            public void finished(org.stevedore.http.CompletedRequest request, org.stevedore.http.RequestTotals totals) {
                for (org.stevedore.http.RequestObserver observer : all) {
                    try {
                        observer.finished(request, totals);
                    } catch (RuntimeException e) {
                        LOG.warn("request observer {} failed", observer.getClass().getName(), e);
                    }
                }
            }
        };
    }

    /** A builder with defaults for tests: loopback, any free port, in-memory storage. */
    public static RegistryBuilder builder() {
        return new RegistryBuilder();
    }

    static Registry start(RegistryBuilder builder) {
        return new Registry(builder.settingsForStart());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:49321}. */
    public URI url() {
        return URI.create((tls ? "https://" : "http://") + hostPort());
    }

    /** {@code host:port} as used in image references, e.g. {@code 127.0.0.1:49321}. */
    public String hostPort() {
        return HostText.of(address.getAddress()) + ":" + address.getPort();
    }

    /** The port listened on; the free port chosen when the builder said 0. */
    public int port() {
        return address.getPort();
    }

    /** The registry's operations without HTTP, over the same storage. */
    public RegistryService service() {
        return service;
    }

    /** The storage driver this registry serves. */
    public StorageDriver storage() {
        return storage;
    }

    /** What happened so far: pushes, pulls, mounts, deletions, refused credentials. */
    public EventJournal events() {
        return events;
    }

    /** Fault injection for the requests to come, e.g. {@code faults().failNext(2, "PATCH", "/blobs/uploads/", 503)}. */
    public Faults faults() {
        return faults;
    }

    /** Generates and stores images, indexes and artifacts without HTTP. */
    public Fixtures fixtures() {
        return Fixtures.over(service);
    }

    /** What the registry holds: repositories, tags, manifests, blobs; read without HTTP. */
    public RegistryContents contents() {
        return RegistryContents.over(service);
    }

    /**
     * Empties the registry for the next test: deletes all stored content, forgets the events and
     * removes fault rules. Requests running meanwhile may fail.
     */
    public void reset() {
        contents().clear();
        events.clear();
        faults.clear();
    }

    /** The root handler, for hosts that already run Undertow. */
    public HttpHandler handler() {
        return handler;
    }

    /**
     * Stops accepting requests, waits up to the drain timeout for running ones, then stops. Closes
     * the storage driver only if the registry made it (the in-memory default); a driver passed to
     * {@link RegistryBuilder#storage} stays open for its owner to close.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        maintenance.close();
        shutdown.shutdown();
        try {
            if (!shutdown.awaitShutdown(drainTimeout.toMillis())) {
                LOG.warn("requests still running after {} ms; stopping anyway", drainTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        for (AutoCloseable resource : closeables) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource.getClass().getName(), e);
            }
        }
        if (ownsStorage && storage instanceof AutoCloseable owned) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.warn("closing {} storage failed", storage.name(), e);
            }
        }
        LOG.info("Stevedore registry on {} stopped", url());
    }
}
