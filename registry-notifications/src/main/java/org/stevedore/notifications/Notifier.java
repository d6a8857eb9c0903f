package org.stevedore.notifications;

import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.RequestObserver;
import org.stevedore.registry.Registry;
import org.stevedore.service.RegistryService;

/**
 * Sends distribution's webhook notifications for a registry. As a {@link RequestObserver} it only
 * queues what a request did (never blocking it); one thread looks the content up and hands each
 * endpoint its envelope, and each endpoint has its own bounded queue and sender thread, so a slow
 * or dead endpoint delays only its own events, and drops what does not fit. Thread-safe.
 *
 * <pre>{@code
 * Notifier notifier = Notifier.start(NotifierSettings.of(List.of(
 *         EndpointSettings.of("ci", URI.create("http://ci.example:8080/hooks/registry")))));
 * Registry registry = Registry.builder().requestObserver(notifier).closing(notifier).start();
 * notifier.attach(registry);   // events wait (bounded) until attached
 * }</pre>
 *
 * Published API.
 */
public final class Notifier implements RequestObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final long POLL_MILLIS = 100;

    private final NotifierSettings settings;
    private final List<EndpointSender> senders;
    private final BlockingQueue<PendingEvent> intake;
    private final Thread dispatcher;
    private final String instanceId = UUID.randomUUID().toString();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RegistryService service;
    private volatile int boundPort;
    private volatile boolean stopping;

    private Notifier(NotifierSettings settings) {
        this.settings = settings;
        List<EndpointSender> list = new ArrayList<>();
        int capacity = 0;
        for (EndpointSettings endpoint : settings.endpoints()) {
            list.add(new EndpointSender(endpoint));
            capacity += endpoint.queueSize();
            LOG.info("notifications to endpoint {} at {} (headers {}, timeout {} ms, threshold {}, backoff {} ms)",
                    endpoint.name(), endpoint.redactedUrl(), endpoint.headers().keySet(), endpoint.timeout().toMillis(),
                    endpoint.threshold(), endpoint.backoff().toMillis());
        }
        this.senders = List.copyOf(list);
        this.intake = new ArrayBlockingQueue<>(Math.max(100, Math.min(capacity, 100_000)));
        this.dispatcher = new Thread(this::dispatch, "stevedore-notify-dispatch");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** Starts the sender threads; events are sent once {@link #attach} names the registry's service. */
    public static Notifier start(NotifierSettings settings) {
        return new Notifier(settings);
    }

    /**
     * The registry whose content events describe; call once, right after it started. Its port
     * goes into {@code source.addr} unless the settings name one.
     */
    public void attach(Registry registry) {
        this.boundPort = registry.port();
        this.service = registry.service();
    }

    /** For a registry served without its own {@link Registry} (a host's Undertow): its service. */
    public void attach(RegistryService service) {
        this.service = service;
    }

    /** Queues an event for the request if it is one; never blocks, never throws. */
    @Override
    public void completed(CompletedRequest request) {
        if (stopping || senders.isEmpty()) return;
        Optional<PendingEvent> event = EventClassifier.classify(request, Instant.now());
        if (event.isPresent() && !intake.offer(event.get())) {
            for (EndpointSender sender : senders) sender.drop(1);
        }
    }

    /** Per endpoint, in configuration order: sent, failed, dropped and pending events. */
    public List<NotificationStats> stats() {
        return senders.stream().map(EndpointSender::stats).toList();
    }

    /**
     * Lets queued events go out for up to the settings' close timeout, then gives up on the rest
     * (counted as dropped) and stops the threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        stopping = true;
        try {
            dispatcher.join(remainingMillis(deadline));
            if (dispatcher.isAlive()) {
                dispatcher.interrupt();
                dispatcher.join(1000);
            }
            int undispatched = intake.size();
            intake.clear();
            for (EndpointSender sender : senders) {
                if (undispatched > 0) sender.drop(undispatched);
                sender.stop();
            }
            for (EndpointSender sender : senders) {
                if (!sender.await(remainingMillis(deadline))) sender.abandon();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private void dispatch() {
        EventEnvelope.Source source = null;
        while (true) {
            PendingEvent event;
            try {
                event = intake.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                if (stopping) return;
                continue;
            }
            RegistryService registry = service;
            while (registry == null) {
                if (stopping) return; // never attached: close counts what is left
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                registry = service;
            }
            if (source == null) source = new EventEnvelope.Source(sourceAddress(), instanceId);
            try {
                send(event, registry, source);
            } catch (RuntimeException e) {
                LOG.warn("notification for {} {} not sent", event.action().wireName(), event.repository(), e);
            }
        }
    }

    private void send(PendingEvent event, RegistryService registry, EventEnvelope.Source source) {
        EventTarget target = null;
        byte[] envelope = null;
        for (EndpointSender sender : senders) {
            if (sender.settings().ignoredActions().contains(event.action())) continue;
            if (target == null) target = EventTarget.lookUp(event, registry, settings.includeReferences());
            if (!sender.settings().wants(event.action(), target.mediaType().orElse(""))) continue;
            if (envelope == null) envelope = EventEnvelope.of(event, target, baseUrl(event), source);
            sender.offer(envelope);
        }
    }

    private Optional<URI> baseUrl(PendingEvent event) {
        if (settings.baseUrl().isPresent()) return settings.baseUrl();
        String host = event.request().host();
        if (host.isEmpty()) return Optional.empty();
        try {
            return Optional.of(URI.create(settings.scheme() + "://" + host));
        } catch (IllegalArgumentException badHost) {
            return Optional.empty();
        }
    }

    /** distribution's: the host name, with the listening port when known. Looked up here, off the start path. */
    private String sourceAddress() {
        String host = settings.sourceAddress().orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "localhost";
            }
        });
        int port = settings.sourcePort() > 0 ? settings.sourcePort() : boundPort;
        if (settings.sourceAddress().isPresent() || port <= 0) return host;
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
