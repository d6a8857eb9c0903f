package org.stevedore.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.stevedore.auth.Access;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.ContentSource;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.StorageUnavailableException;

/**
 * The distribution API as one Undertow handler: dispatches to a worker thread (every operation
 * but the version check may block on storage), tags the request with an id, routes it, maps
 * errors to the spec's JSON, and writes one access log line ({@link AccessLog}) when the exchange
 * completes.
 */
public final class RegistryHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

    /** The authenticated user of a request, for logs and listings. */
    static final io.undertow.util.AttachmentKey<String> USER = io.undertow.util.AttachmentKey.create(String.class);
    private static final java.util.Set<String> WRITES = java.util.Set.of("PUT", "POST", "PATCH", "DELETE");

    /** The id of a request, for logs, error messages and observers. */
    static final io.undertow.util.AttachmentKey<String> REQUEST_ID = io.undertow.util.AttachmentKey.create(String.class);

    /** Counts the request body bytes read, for the access log and {@link RequestObserver#finished}. */
    private static final io.undertow.util.AttachmentKey<CountingSourceConduit> BODY_COUNTER =
            io.undertow.util.AttachmentKey.create(CountingSourceConduit.class);

    /** What the observer was told at commit, told again with totals at completion. */
    private static final io.undertow.util.AttachmentKey<CompletedRequest> COMPLETED =
            io.undertow.util.AttachmentKey.create(CompletedRequest.class);

    /** The route of a request, once parsed, for the {@link RequestObserver}. */
    private static final io.undertow.util.AttachmentKey<V2Route> ROUTE = io.undertow.util.AttachmentKey.create(V2Route.class);

    private final HandlerOptions options;
    private final RequestObserver observer;
    private final BaseHandler base = new BaseHandler();
    private final BlobHandler blobs;
    private final UploadHandler uploads;
    private final ManifestHandler manifests;
    private final TagHandler tags;
    private final CatalogHandler catalog;
    private final ReferrersHandler referrers;
    private final ContentSource source;
    private final ApiExtension api;

    public RegistryHandler(RegistryService service, HandlerOptions options) {
        this(service, options, RequestObserver.NONE);
    }

    /** A handler that also tells {@code observer} about every request as its response commits. */
    public RegistryHandler(RegistryService service, HandlerOptions options, RequestObserver observer) {
        this(service, options, observer, ContentSource.NONE);
    }

    /** A handler that also fetches what covered repositories lack from {@code source} (a pull-through cache). */
    public RegistryHandler(RegistryService service, HandlerOptions options, RequestObserver observer,
                           ContentSource source) {
        this(service, options, observer, source, null);
    }

    /** A handler that also serves {@code api}'s routes under {@link ApiExtension#PREFIX}; null for none. */
    public RegistryHandler(RegistryService service, HandlerOptions options, RequestObserver observer,
                           ContentSource source, ApiExtension api) {
        this.api = api;
        this.options = options;
        this.observer = observer;
        this.source = source;
        this.blobs = new BlobHandler(service.blobs(), source);
        this.uploads = new UploadHandler(service.uploads(), service.blobs(), options.idleMillis());
        this.manifests = new ManifestHandler(service.manifests(), source, options.idleMillis());
        this.tags = new TagHandler(service.tags(), source);
        this.catalog = new CatalogHandler(service.catalog(), options.accessController());
        this.referrers = new ReferrersHandler(service.referrers());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread() && !answeredOnIoThread(exchange)) {
            exchange.dispatch(this);
            return;
        }
        String requestId = RequestIds.next();
        exchange.putAttachment(REQUEST_ID, requestId);
        long startNanos = System.nanoTime();
        exchange.addRequestWrapper((factory, ex) -> {
            CountingSourceConduit counter = new CountingSourceConduit(factory.create());
            ex.putAttachment(BODY_COUNTER, counter);
            return counter;
        });
        exchange.addExchangeCompleteListener((done, next) -> {
            try {
                finished(done, requestId, System.nanoTime() - startNanos);
            } finally {
                next.proceed();
            }
        });
        if (observer != RequestObserver.NONE) exchange.addResponseCommitListener(this::observe);
        MDC.put("request", requestId);
        try {
            exchange.getResponseHeaders().put(ApiHeaders.API_VERSION, ApiHeaders.API_VERSION_VALUE);
            options.responseHeaders().forEach((name, values) ->
                    exchange.getResponseHeaders().putAll(HttpString.tryFromString(name), values));
            route(exchange);
        } catch (RegistryException e) {
            // A client's mistake is its access line alone; a coded 5xx (an upstream failing) gets
            // its detail logged under the request id the client was given.
            if (e.code().status() >= 500) LOG.warn("request {}: {}", requestId, e.getMessage());
            ErrorWriter.write(exchange, e);
        } catch (ClientBodyException e) {
            LOG.debug("request {}: {}", requestId, e.getMessage());
            // A failed read (not a stalled client, which gets its 400) means the client went away.
            if (e.getCause() != null) exchange.putAttachment(AccessLog.CLIENT_ABORTED, Boolean.TRUE);
            ErrorWriter.write(exchange, ErrorCode.BLOB_UPLOAD_INVALID, "the request body could not be read");
        } catch (StorageUnavailableException e) {
            LOG.warn("request {}: storage unavailable: {}", requestId, e.getMessage());
            StorageFailures.writeUnavailable(exchange, StorageFailures.RETRY_UNAVAILABLE_SECONDS,
                    "storage unavailable, request id " + requestId);
        } catch (java.io.IOException e) {
            if (clientHungUp(exchange, e)) {
                // The client hung up mid-response: its abort, not a fault; the access line says so.
                LOG.debug("request {}: client gone: {}", requestId, e.getMessage());
                exchange.putAttachment(AccessLog.CLIENT_ABORTED, Boolean.TRUE);
            } else if (StorageFailures.isStorageFull(e)) {
                LOG.warn("request {}: storage full: {}", requestId, e.getMessage());
                StorageFailures.writeUnavailable(exchange, StorageFailures.RETRY_FULL_SECONDS,
                        "storage full, request id " + requestId);
            } else {
                LOG.error("request {} {} {} failed", requestId, exchange.getRequestMethod(), exchange.getRequestPath(), e);
                ErrorWriter.write(exchange, ErrorCode.UNKNOWN, "internal error, request id " + requestId);
            }
        } catch (Exception e) {
            LOG.error("request {} {} {} failed", requestId, exchange.getRequestMethod(), exchange.getRequestPath(), e);
            ErrorWriter.write(exchange, ErrorCode.UNKNOWN, "internal error, request id " + requestId);
        } finally {
            MDC.remove("request");
        }
    }

    /**
     * The version check ({@code GET} or {@code HEAD /v2/}) without access control blocks on
     * nothing: no storage, no credential check. Every client session starts with one, so it is
     * answered on the I/O thread, without the hand-over to a worker that costs more than the answer.
     */
    private boolean answeredOnIoThread(HttpServerExchange exchange) {
        if (options.accessController().isPresent() || !"/v2/".equals(exchange.getRequestPath())) return false;
        HttpString method = exchange.getRequestMethod();
        return method.equals(Methods.GET) || method.equals(Methods.HEAD);
    }

    /**
     * Whether writing the response failed because the client closed the connection (a reset or a
     * broken pipe), as opposed to a storage read failing mid-body, after which the connection is
     * closed on purpose too (BlobSender): only the socket's own errors count.
     */
    private static boolean clientHungUp(HttpServerExchange exchange, java.io.IOException e) {
        if (exchange.getConnection().isOpen()) return false;
        if (e instanceof java.nio.channels.ClosedChannelException) return true;
        String message = String.valueOf(e.getMessage());
        return message.contains("Broken pipe") || message.contains("Connection reset by peer");
    }

    private void route(HttpServerExchange exchange) throws Exception {
        try {
            // Undertow's parser lets some lengths past a long through; its own accessor then throws.
            ContentLength.of(exchange);
        } catch (RegistryException unframed) {
            exchange.setPersistent(false); // the body's end is unknown: no next request on this connection
            throw unframed;
        }
        if (api != null && exchange.getRequestPath().startsWith(ApiExtension.PREFIX)) {
            routeApi(exchange);
            return;
        }
        V2Route route;
        try {
            route = V2Router.route(exchange.getRequestMethod().toString(), exchange.getRequestPath());
        } catch (RegistryException e) {
            // Only an authenticated client learns how its path is wrong.
            authorize(exchange, List.of());
            throw e;
        }
        exchange.putAttachment(ROUTE, route);
        HttpString method = exchange.getRequestMethod();
        if (options.accessController().isPresent()) {
            authorize(exchange, RouteAccess.needed(route, method.toString(), exchange));
        }
        if (!route.methods().contains(method.toString())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", new TreeSet<>(route.methods())));
            throw ErrorCode.METHOD_UNKNOWN.withDetail(method + " is not allowed here");
        }
        if (WRITES.contains(method.toString())) {
            if (options.readOnly()) throw ErrorCode.UNSUPPORTED.withDetail("the registry is read-only");
            // Cancelling an upload session deletes no content: allowed whatever deletion says,
            // as distribution does, since clients cancel after a failed push.
            if (method.equals(Methods.DELETE) && !options.deleteEnabled() && !(route instanceof V2Route.Upload)) {
                throw ErrorCode.UNSUPPORTED.withDetail("deletion is disabled");
            }
            Optional<RepositoryName> name = RouteAccess.repository(route);
            if (name.isPresent() && source.covers(name.get())) {
                throw ErrorCode.UNSUPPORTED.withDetail(name.get() + " is a pull-through cache of an upstream registry: read-only");
            }
        }
        if (route instanceof V2Route.Base) {
            base.handle(exchange);
        } else if (route instanceof V2Route.Blob blob) {
            blobs.handle(exchange, blob);
        } else if (route instanceof V2Route.UploadStart start) {
            uploads.start(exchange, start);
        } else if (route instanceof V2Route.Upload upload) {
            uploads.handle(exchange, upload);
        } else if (route instanceof V2Route.Manifest manifest) {
            manifests.handle(exchange, manifest);
        } else if (route instanceof V2Route.Tags list) {
            tags.handle(exchange, list);
        } else if (route instanceof V2Route.Catalog) {
            catalog.handle(exchange);
        } else {
            referrers.handle(exchange, (V2Route.Referrers) route);
        }
    }

    private void routeApi(HttpServerExchange exchange) throws Exception {
        List<Access> needed;
        try {
            needed = api.needed(exchange);
        } catch (RegistryException e) {
            authorize(exchange, List.of());
            throw e;
        }
        authorize(exchange, needed);
        HttpString method = exchange.getRequestMethod();
        if (WRITES.contains(method.toString())) {
            if (options.readOnly()) throw ErrorCode.UNSUPPORTED.withDetail("the registry is read-only");
            if (method.equals(Methods.DELETE) && !options.deleteEnabled()) {
                throw ErrorCode.UNSUPPORTED.withDetail("deletion is disabled");
            }
        }
        api.handle(exchange);
    }

    private void authorize(HttpServerExchange exchange, List<Access> needed) {
        if (options.accessController().isEmpty()) return;
        Credentials credentials = new Credentials(
                Optional.ofNullable(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION)),
                String.valueOf(exchange.getSourceAddress()));
        Decision decision = options.accessController().get().authorize(credentials, needed);
        if (decision instanceof Decision.Allowed allowed) {
            allowed.user().ifPresent(user -> exchange.putAttachment(USER, user));
        } else if (decision instanceof Decision.Unauthenticated unauthenticated) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, unauthenticated.challenge().headerValue());
            throw ErrorCode.UNAUTHORIZED.withDetail(unauthenticated.detail());
        } else {
            Decision.Denied denied = (Decision.Denied) decision;
            exchange.putAttachment(USER, denied.user());
            throw ErrorCode.DENIED.withDetail(denied.detail());
        }
    }

    private void observe(HttpServerExchange exchange) {
        try {
            CompletedRequest request = CompletedRequest.of(exchange, exchange.getAttachment(ROUTE),
                    exchange.getAttachment(USER), exchange.getAttachment(REQUEST_ID));
            exchange.putAttachment(COMPLETED, request);
            observer.completed(request);
        } catch (RuntimeException e) {
            LOG.warn("request observer failed", e);
        }
    }

    /** At exchange completion: the access line, then the observer's totals. */
    private void finished(HttpServerExchange exchange, String requestId, long nanos) {
        CountingSourceConduit counter = exchange.getAttachment(BODY_COUNTER);
        long received = counter == null ? 0 : counter.count();
        AccessLog.write(exchange, options.accessLogAtInfo(), requestId, nanos, received, exchange.getAttachment(USER));
        if (observer == RequestObserver.NONE) return;
        try {
            CompletedRequest request = exchange.getAttachment(COMPLETED);
            if (request == null) {
                request = CompletedRequest.of(exchange, exchange.getAttachment(ROUTE), exchange.getAttachment(USER),
                        requestId);
            }
            observer.finished(request, new RequestTotals(nanos, received, exchange.getResponseBytesSent()));
        } catch (RuntimeException e) {
            LOG.warn("request observer failed", e);
        }
    }
}
