package org.stevedore.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.service.RegistryService;

/**
 * The distribution API as one Undertow handler: dispatches to a worker thread (every operation
 * may block on storage), tags the request with an id, routes it, maps errors to the spec's JSON,
 * and writes one access log line when the exchange completes.
 */
public final class RegistryHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("org.stevedore.access");
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final boolean accessLogAtInfo;
    private final BaseHandler base = new BaseHandler();
    private final BlobHandler blobs;
    private final UploadHandler uploads;
    private final ManifestHandler manifests;
    private final TagHandler tags;
    private final CatalogHandler catalog;

    /**
     * @param idleMillis      longest wait for the next bytes of a request body
     * @param accessLogAtInfo log one line per request at INFO (server) rather than DEBUG (embedded)
     */
    public RegistryHandler(RegistryService service, long idleMillis, boolean accessLogAtInfo) {
        this.accessLogAtInfo = accessLogAtInfo;
        this.blobs = new BlobHandler(service.blobs());
        this.uploads = new UploadHandler(service.uploads(), service.blobs(), idleMillis);
        this.manifests = new ManifestHandler(service.manifests(), idleMillis);
        this.tags = new TagHandler(service.tags());
        this.catalog = new CatalogHandler(service.catalog());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        String requestId = Long.toHexString(REQUEST_IDS.incrementAndGet());
        long startNanos = System.nanoTime();
        exchange.addExchangeCompleteListener((done, next) -> {
            logAccess(done, requestId, startNanos);
            next.proceed();
        });
        MDC.put("request", requestId);
        try {
            exchange.getResponseHeaders().put(ApiHeaders.API_VERSION, ApiHeaders.API_VERSION_VALUE);
            route(exchange);
        } catch (RegistryException e) {
            ErrorWriter.write(exchange, e);
        } catch (ClientBodyException e) {
            LOG.debug("request {}: {}", requestId, e.getMessage());
            ErrorWriter.write(exchange, ErrorCode.BLOB_UPLOAD_INVALID, "the request body could not be read");
        } catch (Exception e) {
            LOG.error("request {} {} {} failed", requestId, exchange.getRequestMethod(), exchange.getRequestPath(), e);
            ErrorWriter.write(exchange, ErrorCode.UNKNOWN, "internal error, request id " + requestId);
        } finally {
            MDC.remove("request");
        }
    }

    private void route(HttpServerExchange exchange) throws Exception {
        V2Route route = V2Router.route(exchange.getRequestPath());
        HttpString method = exchange.getRequestMethod();
        if (!route.methods().contains(method.toString())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", new TreeSet<>(route.methods())));
            throw ErrorCode.METHOD_UNKNOWN.withDetail(method + " is not allowed here");
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
            throw ErrorCode.NOT_FOUND.withDetail("not implemented yet");
        }
    }

    private void logAccess(HttpServerExchange exchange, String requestId, long startNanos) {
        if (accessLogAtInfo ? !ACCESS.isInfoEnabled() : !ACCESS.isDebugEnabled()) return;
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        String line = "{} {} {} {} bytes {} ms id={}";
        Object[] args = {exchange.getRequestMethod(), exchange.getRequestPath(), exchange.getStatusCode(),
                exchange.getResponseBytesSent(), millis, requestId};
        if (accessLogAtInfo) ACCESS.info(line, args);
        else ACCESS.debug(line, args);
    }
}
