package org.stevedore.notifications;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Notifier} sends where.
 *
 * @param endpoints         the endpoints, each with its own queue and sender thread
 * @param includeReferences distribution's {@code notifications.events.includereferences}: manifest
 *                          events list the descriptors the manifest refers to
 * @param baseUrl           the registry's external URL for {@code target.url} (distribution's
 *                          {@code http.host}); empty: the request's {@code Host} with {@code scheme}
 * @param scheme            {@code http} or {@code https}, for URLs built from the {@code Host} header
 * @param sourceAddress     {@code source.addr}; empty: this machine's host name, plus
 *                          {@code sourcePort} when it is positive
 * @param sourcePort        the port for {@code source.addr}; 0: the attached registry's port
 * @param closeTimeout      how long {@link Notifier#close()} lets queued events go out
 */
public record NotifierSettings(List<EndpointSettings> endpoints, boolean includeReferences, Optional<URI> baseUrl,
                               String scheme, Optional<String> sourceAddress, int sourcePort, Duration closeTimeout) {
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    public NotifierSettings {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        long distinct = endpoints.stream().map(EndpointSettings::name).distinct().count();
        if (distinct != endpoints.size()) throw new IllegalArgumentException("endpoint names must be unique");
    }

    /** These endpoints, plain HTTP, no references, the host name as source, 5 s to drain on close. */
    public static NotifierSettings of(List<EndpointSettings> endpoints) {
        return new NotifierSettings(endpoints, false, Optional.empty(), "http", Optional.empty(), 0,
                DEFAULT_CLOSE_TIMEOUT);
    }

    public NotifierSettings withIncludeReferences(boolean include) {
        return new NotifierSettings(endpoints, include, baseUrl, scheme, sourceAddress, sourcePort, closeTimeout);
    }

    public NotifierSettings withBaseUrl(Optional<URI> baseUrl, String scheme) {
        return new NotifierSettings(endpoints, includeReferences, baseUrl, scheme, sourceAddress, sourcePort,
                closeTimeout);
    }

    public NotifierSettings withSource(Optional<String> address, int port) {
        return new NotifierSettings(endpoints, includeReferences, baseUrl, scheme, address, port, closeTimeout);
    }

    public NotifierSettings withCloseTimeout(Duration timeout) {
        return new NotifierSettings(endpoints, includeReferences, baseUrl, scheme, sourceAddress, sourcePort, timeout);
    }
}
