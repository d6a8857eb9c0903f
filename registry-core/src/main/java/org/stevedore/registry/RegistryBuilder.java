package org.stevedore.registry;

import io.undertow.server.HttpHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.stevedore.auth.AccessController;
import org.stevedore.http.ApiExtension;
import org.stevedore.http.RequestObserver;
import org.stevedore.service.ContentSource;
import org.stevedore.service.GarbageCollector;
import org.stevedore.service.ManifestGuard;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Configuration of a {@link Registry}. Immutable: every setter returns a new builder, so one
 * builder can be shared and each {@link #start()} makes a new, independent server. Defaults suit
 * tests: loopback, any free port, in-memory storage, no auth, plain HTTP, deletion enabled.
 * Published API.
 */
public final class RegistryBuilder {

    private final RegistrySettings settings;

    RegistryBuilder() {
        this(new RegistrySettings());
    }

    private RegistryBuilder(RegistrySettings settings) {
        this.settings = settings;
    }

    private RegistryBuilder with(Consumer<RegistrySettings> change) {
        RegistrySettings copy = settings.clone();
        change.accept(copy);
        return new RegistryBuilder(copy);
    }

    /**
     * Where content is stored; default a new in-memory driver per {@link #start()}. The caller keeps
     * ownership: {@link Registry#close()} never closes a driver given here (several registries may
     * share one, as nodes over one bucket do), so close an {@link AutoCloseable} driver such as the
     * S3 driver yourself, after the registries serving it. A default driver, made by the registry,
     * is closed with it.
     */
    public RegistryBuilder storage(StorageDriver driver) {
        Objects.requireNonNull(driver, "driver");
        return with(s -> s.storage = driver);
    }

    /** Address to listen on; default {@code 127.0.0.1}. {@code 0.0.0.0} serves every interface. */
    public RegistryBuilder bindAddress(String address) {
        Objects.requireNonNull(address, "address");
        return with(s -> s.bindAddress = address);
    }

    /** Port to listen on; default 0, any free port ({@link Registry#port()} tells which). */
    public RegistryBuilder port(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        return with(s -> s.port = port);
    }

    /** Largest manifest accepted; default 4 MiB, as the reference registry. */
    public RegistryBuilder maxManifestBytes(int bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("maxManifestBytes must be positive");
        return with(s -> s.maxManifestBytes = bytes);
    }

    /** Most tags or repositories in one listing page; default 1000. */
    public RegistryBuilder maxPageSize(int entries) {
        if (entries <= 0) throw new IllegalArgumentException("maxPageSize must be positive");
        return with(s -> s.maxPageSize = entries);
    }

    /** Largest request header block; default 64 KiB. */
    public RegistryBuilder maxHeaderBytes(int bytes) {
        if (bytes < 1024) throw new IllegalArgumentException("maxHeaderBytes must be at least 1024");
        return with(s -> s.maxHeaderBytes = bytes);
    }

    /**
     * Most upload sessions open at once across the registries sharing the storage (each session
     * keeps a marker in the storage, so every node counts them all); starting one more answers 429
     * {@code TOOMANYREQUESTS} until some complete, are cancelled or go idle. Default 10,000.
     */
    public RegistryBuilder maxUploadSessions(int sessions) {
        if (sessions <= 0) throw new IllegalArgumentException("maxUploadSessions must be positive");
        return with(s -> s.maxUploadSessions = sessions);
    }

    /**
     * Longest an upload session may go without receiving data; when next used, an idle session is
     * deleted and answered 404 {@code BLOB_UPLOAD_UNKNOWN}, and it stops counting towards
     * {@link #maxUploadSessions}. {@link Duration#ZERO} means no limit. Default 24 h.
     */
    public RegistryBuilder uploadIdleTimeout(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("uploadIdleTimeout must not be negative");
        return with(s -> s.uploadIdleTimeout = timeout);
    }

    /** Longest a connection may stay silent, mid-request or between requests; default 60 s. */
    public RegistryBuilder idleTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("idleTimeout must be positive");
        return with(s -> s.idleTimeout = timeout);
    }

    /** How long {@link Registry#close()} lets running requests finish; default 10 s. */
    public RegistryBuilder drainTimeout(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("drainTimeout must not be negative");
        return with(s -> s.drainTimeout = timeout);
    }

    /** Threads: I/O (non-blocking) and workers (storage, hashing); defaults from the core count. */
    public RegistryBuilder threads(int io, int workers) {
        if (io <= 0 || workers <= 0) throw new IllegalArgumentException("thread counts must be positive");
        return with(s -> {
            s.ioThreads = io;
            s.workerThreads = workers;
        });
    }

    /** Log one line per request at INFO, as a server does; default DEBUG, quiet when embedded. */
    public RegistryBuilder accessLogAtInfo(boolean atInfo) {
        return with(s -> s.accessLogAtInfo = atInfo);
    }

    /**
     * Who may do what. Default: nobody is asked for credentials. Every route, {@code /v2/}
     * included, goes through the controller when one is set.
     */
    public RegistryBuilder accessController(AccessController controller) {
        Objects.requireNonNull(controller, "controller");
        return with(s -> s.accessController = controller);
    }

    /**
     * Ask for Basic credentials and accept these users (name to password), each allowed
     * everything; for test registries. Only SHA-256 digests of the passwords are kept. Replaces
     * any {@link #accessController}. Over plain HTTP, clients may need to be told to send
     * credentials anyway (Jib: system property {@code sendCredentialsOverHttp=true}).
     */
    public RegistryBuilder users(Map<String, String> users) {
        AccessController controller = new BasicUsers(Objects.requireNonNull(users, "users"));
        return with(s -> s.accessController = controller);
    }

    /** Serve HTTPS only, with this context's certificate and key. Default plain HTTP. */
    public RegistryBuilder tls(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return with(s -> s.tls = context);
    }

    /**
     * Whether {@code DELETE} of manifests, tags and blobs is allowed; default {@code true} for
     * embedded use (the launcher follows distribution's {@code storage.delete.enabled}, off).
     */
    public RegistryBuilder deleteEnabled(boolean enabled) {
        return with(s -> s.deleteEnabled = enabled);
    }

    /** Refuse every write with 405 {@code UNSUPPORTED}; reads work. Default off. */
    public RegistryBuilder readOnly(boolean readOnly) {
        return with(s -> s.readOnly = readOnly);
    }

    /**
     * Extra headers sent with every answer, errors included, e.g. {@code X-Content-Type-Options:
     * nosniff} (distribution's {@code http.headers}). Replaces earlier calls; default none.
     */
    public RegistryBuilder responseHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name == null || name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new IllegalArgumentException("invalid header name: '" + name + "'");
            }
            for (String value : values) {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("header " + name + ": line breaks are not allowed in values");
                }
            }
            copy.put(name, List.copyOf(values));
        });
        Map<String, List<String>> frozen = Map.copyOf(copy);
        return with(s -> s.responseHeaders = frozen);
    }

    /**
     * Online garbage collection every {@code interval}, keeping unreferenced blobs used within
     * {@code gracePeriod} (it must exceed the longest push; see
     * {@link org.stevedore.service.GarbageCollector}). Default off.
     */
    public RegistryBuilder garbageCollection(Duration interval, Duration gracePeriod) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        if (gracePeriod.isNegative()) throw new IllegalArgumentException("gracePeriod must not be negative");
        return with(s -> {
            s.gcInterval = interval;
            s.gcGracePeriod = gracePeriod;
        });
    }

    /**
     * How long a node that stops making progress in an online collection (killed, partitioned)
     * keeps the other nodes over the same storage from collecting: the fleet runs one collection
     * at a time (see {@link org.stevedore.service.CollectionLease}). Default 5 minutes.
     */
    public RegistryBuilder garbageCollectionLease(Duration lease) {
        if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("lease must be positive");
        return with(s -> s.gcLease = lease);
    }

    /**
     * Upload purging every {@code interval}: sessions started more than {@code age} ago are
     * deleted (only logged with {@code dryRun}). Default off here; distribution's defaults, which
     * the launcher uses, are 168 h, 24 h, not dry.
     */
    public RegistryBuilder uploadPurging(Duration age, Duration interval, boolean dryRun) {
        if (age.isNegative() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("age must not be negative, interval must be positive");
        }
        return with(s -> {
            s.purgeAge = age;
            s.purgeInterval = interval;
            s.purgeDryRun = dryRun;
        });
    }

    /**
     * Serves {@code path} (exact match, e.g. {@code /token}) with {@code handler}, before the
     * distribution API's routing and outside the access controller: the handler does its own
     * checks, and runs on the I/O thread unless it dispatches. For a built-in token endpoint.
     */
    public RegistryBuilder extraRoute(String path, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/") || path.startsWith("/v2/") || path.equals("/v2")) {
            throw new IllegalArgumentException("extra route must start with / and not be under /v2: " + path);
        }
        return with(s -> {
            Map<String, HttpHandler> routes = new LinkedHashMap<>(s.extraRoutes);
            routes.put(path, handler);
            s.extraRoutes = Map.copyOf(routes);
        });
    }

    /**
     * Serves every path under {@code prefix} (which starts and ends with {@code /}, e.g.
     * {@code /ui/}; the prefix without its last slash too) with the handler {@code factory} makes
     * when the registry starts, from the registry's services and rules ({@link MountContext}).
     * Like {@link #extraRoute}, the handler runs before the distribution API's routing, outside
     * the access controller (it asks the controller itself), on the I/O thread unless it
     * dispatches. For add-ons such as the web UI: {@code builder.mount("/ui/", WebUi.defaults())}.
     */
    public RegistryBuilder mount(String prefix,
                                 Function<MountContext, HttpHandler> factory) {
        Objects.requireNonNull(factory, "factory");
        if (prefix.length() < 3 || !prefix.startsWith("/") || !prefix.endsWith("/") || prefix.startsWith("/v2/")) {
            throw new IllegalArgumentException("mount prefix must look like /name/ and not be under /v2: " + prefix);
        }
        return with(s -> {
            Map<String, Function<MountContext, HttpHandler>> mounts =
                    new LinkedHashMap<>(s.mounts);
            mounts.put(prefix, factory);
            s.mounts = Map.copyOf(mounts);
        });
    }

    /**
     * Adds an observer told about every API request just before its response commits (after the
     * registry's own {@link EventJournal}). Observers run on the request's thread, in the order
     * added: they must be fast, thread-safe and never block (queue work elsewhere). For metrics,
     * notifications and audit trails.
     */
    public RegistryBuilder requestObserver(RequestObserver observer) {
        Objects.requireNonNull(observer, "observer");
        return with(s -> {
            List<RequestObserver> observers = new ArrayList<>(s.requestObservers);
            observers.add(observer);
            s.requestObservers = List.copyOf(observers);
        });
    }

    /**
     * Adds a resource that {@link Registry#close()} closes after the server has stopped (so after
     * the last request observer call), in the order added; a failing one is logged and does not
     * stop the others. For what lives as long as the registry: notification senders, debug servers.
     * Every registry started from this builder closes it, so give it to one {@link #start()} only.
     */
    public RegistryBuilder closing(AutoCloseable resource) {
        Objects.requireNonNull(resource, "resource");
        return with(s -> {
            List<AutoCloseable> resources = new ArrayList<>(s.closeables);
            resources.add(resource);
            s.closeables = List.copyOf(resources);
        });
    }

    /**
     * Health gating: while {@code availability} reports a failing check, {@code /} and the
     * {@code /v2} API answer 503 {@code UNAVAILABLE} (distribution's behaviour behind its health
     * checks). Default: always available.
     */
    public RegistryBuilder availability(Availability availability) {
        Objects.requireNonNull(availability, "availability");
        return with(s -> s.availability = availability);
    }

    /** Told the report of every online garbage collection run (on the maintenance thread), for metrics. */
    public RegistryBuilder garbageCollectionListener(Consumer<GarbageCollector.Report> listener) {
        Objects.requireNonNull(listener, "listener");
        return with(s -> s.gcListener = listener);
    }

    /**
     * Fetches what some repositories lack from elsewhere: a pull-through cache. {@code factory} is
     * called once per {@link #start()} with the registry's services, to store what it fetches;
     * repositories the source covers are read-only for clients. Default: every repository hosted.
     */
    public RegistryBuilder contentSource(
            Function<RegistryService, ContentSource> factory) {
        Objects.requireNonNull(factory, "factory");
        return with(s -> s.contentSource = factory);
    }

    /**
     * Asked before a manifest PUT moves a tag and before a DELETE removes one, to refuse it (as
     * immutable tags do, with 403 {@code DENIED}). Default: every change allowed.
     */
    public RegistryBuilder manifestGuard(ManifestGuard guard) {
        Objects.requireNonNull(guard, "guard");
        return with(s -> s.manifestGuard = guard);
    }

    /**
     * Serves the routes under {@code /api/v1/} that {@code factory} makes (called once per
     * {@link #start()} with the registry's services), behind the same access controller as
     * {@code /v2/}; see {@link ApiExtension}. Default: none, 404.
     */
    public RegistryBuilder api(Function<RegistryService, ApiExtension> factory) {
        Objects.requireNonNull(factory, "factory");
        return with(s -> s.api = factory);
    }

    /** Starts a new server; returns once its socket is bound. */
    public Registry start() {
        return Registry.start(this);
    }

    /** A copy of the settings with the storage resolved, for one {@link Registry}. */
    RegistrySettings settingsForStart() {
        RegistrySettings copy = settings.clone();
        if (copy.storage == null) {
            copy.storage = InMemoryDriver.create();
            copy.ownsStorage = true;
        }
        return copy;
    }

    Optional<AccessController> accessController() {
        return Optional.ofNullable(settings.accessController);
    }
}
