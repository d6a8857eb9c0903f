package org.stevedore.notifications;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's bounded queue and the thread that empties it. Each event is POSTed until the
 * endpoint accepts it (2xx or 3xx), as distribution's retrying sink does: up to
 * {@code threshold} failures in a row are retried at once, after that each retry waits
 * {@code backoff} from the last failure (go-events' {@code Breaker}). Meanwhile new events queue;
 * when the queue is full they are dropped and counted. {@link #offer} never blocks.
 */
final class EndpointSender {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSender.class);
    private static final long POLL_MILLIS = 100;
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final EndpointSettings settings;
    private final URI url;
    private final List<String[]> headers;
    private final HttpClient client;
    private final BlockingQueue<byte[]> queue;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean delivering;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private volatile long lastDropLogNanos = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;
    private int failuresInARow;
    private long lastFailureNanos;

    EndpointSender(EndpointSettings settings) {
        this.settings = settings;
        this.url = Urls.withoutUserInfo(settings.url());
        this.headers = headers(settings);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a 3xx is an accepted delivery, as in distribution
                .build();
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.thread = new Thread(this::run, "stevedore-notify-" + settings.name());
        thread.setDaemon(true);
        thread.start();
    }

    EndpointSettings settings() {
        return settings;
    }

    /** Queues one envelope; drops and counts it when the queue is full. Never blocks. */
    void offer(byte[] envelope) {
        if (stopping || !queue.offer(envelope)) drop(1);
    }

    /** Counts events that never reached this endpoint's queue. */
    void drop(long events) {
        long total = dropped.addAndGet(events);
        long now = System.nanoTime();
        if (now - lastDropLogNanos >= DROP_LOG_INTERVAL_NANOS) {
            lastDropLogNanos = now;
            LOG.warn("notification endpoint {}: queue full ({} events waiting), dropped {} events so far",
                    settings.name(), queue.size(), total);
        }
    }

    NotificationStats stats() {
        return new NotificationStats(settings.name(), sent.get(), failed.get(), dropped.get(),
                queue.size() + (delivering ? 1 : 0));
    }

    /** Takes no more events; the thread ends once the queue is empty. */
    void stop() {
        stopping = true;
    }

    /** Waits for the thread to finish what is queued, up to {@code millis}; true when it did. */
    boolean await(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** Gives up on the queued events now: they count as dropped. */
    void abandon() throws InterruptedException {
        abandoned = true;
        stopping = true;
        thread.interrupt();
        thread.join(2000);
        List<byte[]> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) dropped.addAndGet(left.size());
        if (!left.isEmpty() || thread.isAlive()) {
            LOG.warn("notification endpoint {}: closed with {} events undelivered", settings.name(), left.size());
        }
    }

    private void run() {
        while (!abandoned) {
            byte[] envelope;
            try {
                envelope = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (abandoned) return;
                continue;
            }
            if (envelope == null) {
                if (stopping) return;
                continue;
            }
            delivering = true;
            try {
                deliver(envelope);
            } finally {
                delivering = false;
            }
        }
    }

    private void deliver(byte[] envelope) {
        while (true) {
            if (abandoned) {
                dropped.incrementAndGet();
                return;
            }
            try {
                waitForBackoff();
                int status = post(envelope);
                if (status >= 200 && status < 400) {
                    sent.incrementAndGet();
                    if (failuresInARow >= settings.threshold()) {
                        LOG.info("notification endpoint {}: delivering again", settings.name());
                    }
                    failuresInARow = 0;
                    return;
                }
                failed("answered " + status);
            } catch (InterruptedException e) {
                // Only close interrupts; the loop's first check decides.
            } catch (IOException | TimeoutException | ExecutionException e) {
                failed(describe(e));
            }
        }
    }

    private void waitForBackoff() throws InterruptedException {
        if (failuresInARow < settings.threshold()) return;
        long waitNanos = lastFailureNanos + settings.backoff().toNanos() - System.nanoTime();
        if (waitNanos > 0) TimeUnit.NANOSECONDS.sleep(waitNanos);
    }

    private void failed(String why) {
        failed.incrementAndGet();
        failuresInARow++;
        lastFailureNanos = System.nanoTime();
        if (failuresInARow == settings.threshold()) {
            LOG.warn("notification endpoint {} ({}): {} failures in a row, last: {}; retrying every {} ms",
                    settings.name(), settings.redactedUrl(), failuresInARow, why, settings.backoff().toMillis());
        } else {
            LOG.debug("notification endpoint {}: delivery failed: {}", settings.name(), why);
        }
    }

    private int post(byte[] envelope) throws IOException, InterruptedException, TimeoutException,
            ExecutionException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(settings.timeout())
                .header("Content-Type", EventEnvelope.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope));
        for (String[] header : headers) request.header(header[0], header[1]);
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.discarding());
        try {
            // The timeout covers the whole exchange, body included, like Go's http.Client.Timeout.
            return response.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } finally {
            response.cancel(true);
        }
    }

    /** Configured headers the JDK's client may send, plus Basic auth from the URL's user info. */
    private static List<String[]> headers(EndpointSettings settings) {
        List<String[]> list = new ArrayList<>();
        boolean hasAuthorization = false;
        for (Map.Entry<String, List<String>> header : settings.headers().entrySet()) {
            for (String value : header.getValue()) {
                try {
                    HttpRequest.newBuilder().header(header.getKey(), value); // rejects restricted names
                    list.add(new String[] {header.getKey(), value});
                    hasAuthorization |= header.getKey().equalsIgnoreCase("Authorization");
                } catch (IllegalArgumentException e) {
                    // The value is not logged: it may be a credential.
                    LOG.warn("notification endpoint {}: header {} cannot be set by Stevedore; not sent",
                            settings.name(), header.getKey());
                }
            }
        }
        if (!hasAuthorization) {
            Urls.basicAuthorization(settings.url()).ifPresent(auth -> list.add(new String[] {"Authorization", auth}));
        }
        return List.copyOf(list);
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
