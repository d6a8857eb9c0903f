package org.stevedore.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stevedore.notifications.Action;
import org.stevedore.notifications.EndpointSettings;

/**
 * Reads distribution's {@code notifications} section: {@code events.includereferences} and the
 * {@code endpoints} list (name, disabled, url, headers, timeout, threshold, backoff,
 * ignoredmediatypes, ignore.mediatypes, ignore.actions), plus Stevedore's {@code queuesize}.
 * As in distribution, a list can come from a variable only whole, as YAML:
 * {@code REGISTRY_NOTIFICATIONS_ENDPOINTS='[{name: ci, url: "http://ci:8080/hook"}]'}.
 */
final class NotificationsReader {
    private final List<String> warnings;

    private NotificationsReader(List<String> warnings) {
        this.warnings = warnings;
    }

    static NotificationsConfig read(ConfigNode notifications, List<String> warnings) {
        return new NotificationsReader(warnings).read(notifications);
    }

    private NotificationsConfig read(ConfigNode notifications) {
        boolean includeReferences = false;
        Optional<ConfigNode> events = notifications.section("events");
        if (events.isPresent()) {
            includeReferences = events.get().bool("includereferences").orElse(false);
            events.get().warnUnread(warnings);
        }
        List<EndpointSettings> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode endpoint : notifications.sections("endpoints")) {
            Optional<EndpointSettings> settings = readEndpoint(endpoint);
            if (settings.isEmpty()) continue;
            if (!names.add(settings.get().name())) {
                throw endpoint.invalid("name", "'" + settings.get().name() + "' names two endpoints");
            }
            endpoints.add(settings.get());
        }
        notifications.warnUnread(warnings);
        return new NotificationsConfig(endpoints, includeReferences);
    }

    /** The endpoint, or empty when {@code disabled: true} (distribution skips those, checking nothing else). */
    private Optional<EndpointSettings> readEndpoint(ConfigNode endpoint) {
        if (endpoint.bool("disabled").orElse(false)) {
            endpoint.keys().forEach(endpoint::accept);
            return Optional.empty();
        }
        String name = endpoint.string("name").filter(s -> !s.isBlank())
                .orElseThrow(() -> endpoint.invalid("name", "missing; it is required"));
        URI url = endpoint.string("url").filter(s -> !s.isBlank()).map(text -> url(endpoint, text))
                .orElseThrow(() -> endpoint.invalid("url", "missing; it is required"));
        Map<String, List<String>> headers = endpoint.section("headers").map(ConfigNode::httpHeaders).orElse(Map.of());
        Duration timeout = endpoint.parsed("timeout", GoDuration::parse).orElse(Duration.ZERO);
        int threshold = endpoint.integer("threshold").orElse(0);
        Duration backoff = endpoint.parsed("backoff", GoDuration::parse).orElse(Duration.ZERO);
        Set<String> mediaTypes = new LinkedHashSet<>(endpoint.strings("ignoredmediatypes"));
        Set<Action> actions = new LinkedHashSet<>();
        Optional<ConfigNode> ignore = endpoint.section("ignore");
        if (ignore.isPresent()) {
            mediaTypes.addAll(ignore.get().strings("mediatypes"));
            for (String action : ignore.get().strings("actions")) {
                try {
                    actions.add(Action.parse(action));
                } catch (IllegalArgumentException e) {
                    // distribution accepts any word here; one it never sends cannot match anything.
                    warnings.add(ignore.get().keyPath("actions") + ": " + e.getMessage() + "; it never matches");
                }
            }
            ignore.get().warnUnread(warnings);
        }
        int queueSize = endpoint.integer("queuesize").orElse(0);
        if (queueSize < 0) throw endpoint.invalid("queuesize", "must be positive");
        endpoint.warnUnread(warnings);
        return Optional.of(new EndpointSettings(name, url, headers, timeout, threshold, backoff, mediaTypes, actions,
                queueSize));
    }

    private static URI url(ConfigNode endpoint, String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw endpoint.invalid("url", "not an absolute http or https URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            // The text is not repeated: a URL may carry a password.
            throw endpoint.invalid("url", "not a URL: " + e.getReason());
        }
    }
}
