package org.stevedore.registry;

import io.undertow.server.HttpHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.stevedore.auth.AccessController;
import org.stevedore.http.ApiExtension;
import org.stevedore.http.RequestObserver;
import org.stevedore.model.ManifestParser;
import org.stevedore.service.ContentSource;
import org.stevedore.service.GarbageCollector;
import org.stevedore.service.ManifestGuard;
import org.stevedore.service.RegistryService;
import org.stevedore.service.UploadLimits;
import org.stevedore.storage.StorageDriver;

/**
 * What a {@link RegistryBuilder} has been told: plain fields with the defaults, copied on every
 * change and never shared between builders; {@link Registry} reads them at start. The builder
 * validates, this only holds.
 */
final class RegistrySettings implements Cloneable {
    StorageDriver storage;
    /** True when the registry made the driver itself (the default), so it closes it too. */
    boolean ownsStorage;
    String bindAddress = "127.0.0.1";
    int port;
    int maxManifestBytes = ManifestParser.DEFAULT_MAX_BYTES;
    int maxPageSize = RegistryService.DEFAULT_MAX_PAGE_SIZE;
    int maxHeaderBytes = 64 * 1024;
    int maxUploadSessions = UploadLimits.DEFAULT_MAX_SESSIONS;
    Duration uploadIdleTimeout = UploadLimits.DEFAULT_IDLE_TIMEOUT;
    Duration idleTimeout = Duration.ofSeconds(60);
    Duration drainTimeout = Duration.ofSeconds(10);
    int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    int workerThreads = Math.max(16, Runtime.getRuntime().availableProcessors() * 8);
    boolean accessLogAtInfo;
    AccessController accessController;
    SSLContext tls;
    boolean deleteEnabled = true;
    boolean readOnly;
    Map<String, List<String>> responseHeaders = Map.of();
    Duration gcInterval;
    Duration gcGracePeriod;
    Duration gcLease = Duration.ofMinutes(5);
    Duration purgeAge;
    Duration purgeInterval;
    boolean purgeDryRun;
    /** Told about every API request as its response commits, after the event journal; replaced, never mutated. */
    List<RequestObserver> requestObservers = List.of();
    /** Closed after the server stops, in the order added; replaced, never mutated. */
    List<AutoCloseable> closeables = List.of();
    /** Exact paths served before /v2 routing, outside the access controller; replaced, never mutated. */
    Map<String, HttpHandler> extraRoutes = Map.of();
    /** Path prefix (ending in /) to the factory of its handler, called at start; replaced, never mutated. */
    Map<String, Function<MountContext, HttpHandler>> mounts =
            Map.of();
    /** Health: while it reports problems, / and /v2 answer 503. */
    Availability availability = Availability.ALWAYS;
    /** Told about every online garbage collection run. */
    Consumer<GarbageCollector.Report> gcListener = report -> { };
    /** Makes the pull-through source over the started registry's services; none by default. */
    Function<RegistryService, ContentSource> contentSource;
    /** Asked before a tag moves or goes (immutable tags); none by default. */
    ManifestGuard manifestGuard = ManifestGuard.NONE;
    /** Makes the routes under /api/v1/ over the started registry's services; none by default. */
    Function<RegistryService, ApiExtension> api;

    @Override
    protected RegistrySettings clone() {
        try {
            return (RegistrySettings) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
