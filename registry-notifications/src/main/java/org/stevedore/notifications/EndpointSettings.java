package org.stevedore.notifications;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of distribution's {@code notifications.endpoints}, validated. Zero or negative
 * timeout, threshold and backoff take distribution's defaults (1 s, 10, 1 s), as its
 * {@code EndpointConfig.defaults()} does.
 *
 * @param name              {@code name}: shown in logs and statistics
 * @param url               {@code url}: where events are POSTed (http or https); user info in it
 *                          becomes a Basic {@code Authorization} header and is never logged
 * @param headers           {@code headers}: added to every POST; values are never logged
 * @param timeout           {@code timeout}: the longest one POST may take, connect to last byte
 * @param threshold         {@code threshold}: failures in a row retried at once before backing off
 * @param backoff           {@code backoff}: the wait after a failure once the threshold is reached
 * @param ignoredMediaTypes {@code ignoredmediatypes} plus {@code ignore.mediatypes}: target media
 *                          types never sent
 * @param ignoredActions    {@code ignore.actions}: actions never sent
 * @param queueSize         Stevedore's {@code queuesize}: events waiting for this endpoint at most;
 *                          more are dropped and counted (distribution's queue has no bound)
 */
public record EndpointSettings(String name, URI url, Map<String, List<String>> headers, Duration timeout,
                               int threshold, Duration backoff, Set<String> ignoredMediaTypes,
                               Set<Action> ignoredActions, int queueSize) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_THRESHOLD = 10;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final int DEFAULT_QUEUE_SIZE = 1000;

    public EndpointSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        if (url.getScheme() == null || url.getHost() == null
                || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("endpoint " + name + ": not an absolute http or https URL");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        headers = Map.copyOf(copy);
        timeout = timeout == null || timeout.isNegative() || timeout.isZero() ? DEFAULT_TIMEOUT : timeout;
        threshold = threshold <= 0 ? DEFAULT_THRESHOLD : threshold;
        backoff = backoff == null || backoff.isNegative() || backoff.isZero() ? DEFAULT_BACKOFF : backoff;
        ignoredMediaTypes = Set.copyOf(ignoredMediaTypes);
        ignoredActions = Set.copyOf(ignoredActions);
        queueSize = queueSize <= 0 ? DEFAULT_QUEUE_SIZE : queueSize;
    }

    /** An endpoint with distribution's defaults: no headers, 1 s timeout, threshold 10, 1 s backoff. */
    public static EndpointSettings of(String name, URI url) {
        return new EndpointSettings(name, url, Map.of(), DEFAULT_TIMEOUT, DEFAULT_THRESHOLD, DEFAULT_BACKOFF,
                Set.of(), Set.of(), DEFAULT_QUEUE_SIZE);
    }

    public EndpointSettings withHeaders(Map<String, List<String>> headers) {
        return new EndpointSettings(name, url, headers, timeout, threshold, backoff, ignoredMediaTypes,
                ignoredActions, queueSize);
    }

    public EndpointSettings withTimeout(Duration timeout) {
        return new EndpointSettings(name, url, headers, timeout, threshold, backoff, ignoredMediaTypes,
                ignoredActions, queueSize);
    }

    public EndpointSettings withRetry(int threshold, Duration backoff) {
        return new EndpointSettings(name, url, headers, timeout, threshold, backoff, ignoredMediaTypes,
                ignoredActions, queueSize);
    }

    public EndpointSettings withIgnored(Set<String> mediaTypes, Set<Action> actions) {
        return new EndpointSettings(name, url, headers, timeout, threshold, backoff, mediaTypes, actions, queueSize);
    }

    public EndpointSettings withQueueSize(int queueSize) {
        return new EndpointSettings(name, url, headers, timeout, threshold, backoff, ignoredMediaTypes,
                ignoredActions, queueSize);
    }

    /** The URL without user info, for logs. */
    public String redactedUrl() {
        return Urls.withoutUserInfo(url).toString();
    }

    /** Whether this endpoint wants an event with this action and target media type (empty: none known). */
    boolean wants(Action action, String mediaType) {
        return !ignoredActions.contains(action) && (mediaType.isEmpty() || !ignoredMediaTypes.contains(mediaType));
    }

    @Override
    public String toString() {
        // Header values may be credentials: only their names are shown.
        return "EndpointSettings[name=" + name + ", url=" + redactedUrl() + ", headers=" + headers.keySet()
                + ", timeout=" + timeout + ", threshold=" + threshold + ", backoff=" + backoff
                + ", ignoredMediaTypes=" + ignoredMediaTypes + ", ignoredActions=" + ignoredActions
                + ", queueSize=" + queueSize + "]";
    }
}
