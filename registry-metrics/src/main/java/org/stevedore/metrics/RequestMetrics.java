package org.stevedore.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.RequestObserver;
import org.stevedore.http.RequestTotals;
import org.stevedore.http.V2Route;

/**
 * Request metrics from the registry's {@link RequestObserver}: everything is counted when the
 * exchange finishes, when duration and byte counts are known. Label values come from fixed sets
 * (route kinds, known methods, status codes) so clients cannot grow the label space.
 */
final class RequestMetrics implements RequestObserver {
    private static final List<String> METHODS = List.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "other");
    private static final List<String> HANDLERS = List.of("base", "catalog", "tags", "manifest", "blob", "blob_upload",
            "blob_upload_chunk", "referrers", "other");
    private static final double NANOS_PER_SECOND = 1e9;

    private final Counter requests;
    private final Histogram duration;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter blobOperations;
    private final Counter manifestOperations;
    private final Counter authFailures;
    private final AtomicLong openUploads = new AtomicLong();
    // Data points looked up once: the client's labelValues() builds a key per call, which is
    // most of the cost of counting a request. Indexed by handler, then method.
    private final DistributionDataPoint[][] durationPoints;
    private final CounterDataPoint[] bytesInPoints;
    private final CounterDataPoint[] bytesOutPoints;
    /** Request counters by (handler, method, status), made on first use; statuses are few in practice. */
    private final ConcurrentHashMap<Integer, CounterDataPoint> requestPoints = new ConcurrentHashMap<>();

    RequestMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("registry_http_requests_total")
                .help("API requests by route kind (handler), method and status code")
                .labelNames("handler", "method", "code").withoutExemplars().register(registry);
        duration = Histogram.builder().name("registry_http_request_duration_seconds")
                .help("API request latency, from dispatch to the last byte sent, by route kind and method")
                .labelNames("handler", "method").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .withoutExemplars().register(registry);
        bytesIn = Counter.builder().name("registry_http_request_bytes_total")
                .help("request body bytes received, by route kind").labelNames("handler")
                .withoutExemplars().register(registry);
        bytesOut = Counter.builder().name("registry_http_response_bytes_total")
                .help("response body bytes sent, by route kind").labelNames("handler")
                .withoutExemplars().register(registry);
        blobOperations = Counter.builder().name("stevedore_blob_operations_total")
                .help("successful blob operations: pull, head, delete, push (upload completed), mount")
                .labelNames("operation").withoutExemplars().register(registry);
        manifestOperations = Counter.builder().name("stevedore_manifest_operations_total")
                .help("successful manifest operations: pull, head, push, delete")
                .labelNames("operation").withoutExemplars().register(registry);
        authFailures = Counter.builder().name("stevedore_auth_failures_total")
                .help("refused requests: unauthenticated (401, challenges included) or denied (403)")
                .labelNames("reason").withoutExemplars().register(registry);
        durationPoints = new DistributionDataPoint[HANDLERS.size()][METHODS.size()];
        bytesInPoints = new CounterDataPoint[HANDLERS.size()];
        bytesOutPoints = new CounterDataPoint[HANDLERS.size()];
        for (int h = 0; h < HANDLERS.size(); h++) {
            for (int m = 0; m < METHODS.size(); m++) {
                durationPoints[h][m] = duration.labelValues(HANDLERS.get(h), METHODS.get(m));
            }
            bytesInPoints[h] = bytesIn.labelValues(HANDLERS.get(h));
            bytesOutPoints[h] = bytesOut.labelValues(HANDLERS.get(h));
        }
        GaugeWithCallback.builder().name("stevedore_uploads_active")
                .help("upload sessions started and not yet completed or cancelled through this process")
                .callback(callback -> callback.call(Math.max(0, openUploads.get()))).register(registry);
    }

    @Override
    public void completed(CompletedRequest request) {
        // everything is counted in finished(), when the totals are known
    }

    @Override
    public void finished(CompletedRequest request, RequestTotals totals) {
        V2Route route = request.route().orElse(null);
        int h = HANDLERS.indexOf(handler(route));
        int m = METHODS.indexOf(request.method());
        if (m < 0) m = METHODS.size() - 1;
        String method = METHODS.get(m);
        int status = request.status();
        if (status < 100 || status > 999) status = 999;
        int hm = h * METHODS.size() + m;
        requestPoints.computeIfAbsent((hm << 10) | status, this::requestPoint).inc();
        durationPoints[h][m].observe(totals.durationNanos() / NANOS_PER_SECOND);
        if (totals.bytesReceived() > 0) bytesInPoints[h].inc(totals.bytesReceived());
        if (totals.bytesSent() > 0) bytesOutPoints[h].inc(totals.bytesSent());
        if (status == 401) authFailures.labelValues("unauthenticated").inc();
        else if (status == 403) authFailures.labelValues("denied").inc();
        boolean ok = status >= 200 && status < 400;
        if (ok && route != null) countOperation(route, method, status, request);
    }

    /** The counter of key {@code (handler * methods + method) << 10 | status}. */
    private CounterDataPoint requestPoint(int key) {
        int hm = key >> 10;
        return requests.labelValues(HANDLERS.get(hm / METHODS.size()), METHODS.get(hm % METHODS.size()),
                Integer.toString(key & 0x3ff));
    }

    private void countOperation(V2Route route, String method, int status, CompletedRequest request) {
        if (route instanceof V2Route.Manifest) {
            String operation = operation(method, "push");
            if (operation != null) manifestOperations.labelValues(operation).inc();
        } else if (route instanceof V2Route.Blob) {
            String operation = operation(method, null);
            if (operation != null) blobOperations.labelValues(operation).inc();
        } else if (route instanceof V2Route.UploadStart && method.equals("POST")) {
            if (status == 202) {
                openUploads.incrementAndGet();
            } else if (status == 201) {
                // 201 on POST: a mount, or a monolithic upload with ?digest=
                boolean mount = request.mountParameter().isPresent() && request.digestParameter().isEmpty();
                blobOperations.labelValues(mount ? "mount" : "push").inc();
            }
        } else if (route instanceof V2Route.Upload) {
            if (method.equals("PUT") && status == 201) {
                blobOperations.labelValues("push").inc();
                openUploads.decrementAndGet();
            } else if (method.equals("DELETE")) {
                openUploads.decrementAndGet();
            }
        }
    }

    private static String operation(String method, String put) {
        switch (method) {
            case "GET": return "pull";
            case "HEAD": return "head";
            case "DELETE": return "delete";
            case "PUT": return put;
            default: return null;
        }
    }

    /** distribution's handler names, so its dashboards read Stevedore's metrics. */
    static String handler(V2Route route) {
        if (route == null) return "other";
        if (route instanceof V2Route.Base) return "base";
        if (route instanceof V2Route.Catalog) return "catalog";
        if (route instanceof V2Route.Tags) return "tags";
        if (route instanceof V2Route.Manifest) return "manifest";
        if (route instanceof V2Route.Blob) return "blob";
        if (route instanceof V2Route.UploadStart) return "blob_upload";
        if (route instanceof V2Route.Upload) return "blob_upload_chunk";
        return "referrers";
    }
}
