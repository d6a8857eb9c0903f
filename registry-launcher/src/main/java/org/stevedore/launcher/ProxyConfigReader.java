package org.stevedore.launcher;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.proxy.Upstream;

/**
 * Reads {@code proxy}: distribution's single upstream ({@code remoteurl}, {@code username},
 * {@code password}, {@code ttl}; every repository is then proxied and pushes are refused, as in
 * distribution), or Stevedore's {@code upstreams}, a list of the same keys plus {@code prefix},
 * each serving the repositories under its prefix beside hosted ones. Not both.
 */
final class ProxyConfigReader {
    private ProxyConfigReader() {
    }

    /** @param warnings receives one line per unknown key */
    static List<Upstream> read(ConfigNode proxy, List<String> warnings) {
        List<ConfigNode> upstreams = proxy.sections("upstreams");
        boolean single = proxy.has("remoteurl");
        if (single && !upstreams.isEmpty()) {
            throw proxy.invalid("upstreams", "give either remoteurl (every repository proxied) or upstreams "
                    + "(per prefix), not both");
        }
        if (single) {
            Upstream upstream = upstream(proxy, "", Upstream.DEFAULT_READ_TIMEOUT);
            proxy.warnUnread(warnings);
            return List.of(upstream);
        }
        for (String key : List.of("username", "password", "ttl")) {
            if (proxy.has(key)) throw proxy.invalid(key, "needs remoteurl (or goes inside an upstreams entry)");
        }
        // A top-level readtimeout is the default of every upstreams entry.
        Duration readTimeout = readTimeout(proxy, Upstream.DEFAULT_READ_TIMEOUT);
        List<Upstream> result = new ArrayList<>();
        for (ConfigNode entry : upstreams) {
            String prefix = entry.string("prefix").map(String::trim).filter(p -> !p.isEmpty())
                    .orElseThrow(() -> entry.invalid("prefix", "missing; name the repositories, e.g. hub/"));
            result.add(upstream(entry, prefix.endsWith("/") ? prefix : prefix + "/", readTimeout));
            entry.warnUnread(warnings);
        }
        proxy.warnUnread(warnings);
        if (result.stream().map(Upstream::prefix).distinct().count() != result.size()) {
            throw proxy.invalid("upstreams", "two entries have the same prefix");
        }
        return result;
    }

    private static Duration readTimeout(ConfigNode node, Duration fallback) {
        Duration timeout = node.parsed("readtimeout", GoDuration::parse).orElse(fallback);
        if (timeout.isNegative() || timeout.isZero()) throw node.invalid("readtimeout", "must be positive");
        return timeout;
    }

    private static Upstream upstream(ConfigNode node, String prefix, Duration defaultReadTimeout) {
        URI url = node.parsed("remoteurl", ProxyConfigReader::url)
                .orElseThrow(() -> node.invalid("remoteurl", "missing; the upstream registry's URL"));
        Optional<String> username = node.string("username").filter(s -> !s.isEmpty());
        Optional<String> password = node.string("password").filter(s -> !s.isEmpty());
        if (username.isPresent() != password.isPresent()) {
            throw node.invalid(username.isPresent() ? "password" : "username", "missing; username and password go together");
        }
        Duration ttl = node.parsed("ttl", GoDuration::parse).orElse(Upstream.DEFAULT_TTL);
        if (ttl.isNegative()) throw node.invalid("ttl", "must not be negative");
        Duration readTimeout = readTimeout(node, defaultReadTimeout);
        try {
            return new Upstream(prefix, url, username, password, ttl, readTimeout);
        } catch (IllegalArgumentException e) {
            throw node.invalid(prefix.isEmpty() ? "remoteurl" : "prefix", e.getMessage());
        }
    }

    private static URI url(String text) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("'" + text + "' is not an absolute http or https URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }
}
