package org.stevedore.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.model.RepositoryName;

/**
 * One upstream registry and the repositories it serves: every repository whose name starts with
 * {@code prefix} (an empty prefix covers all, as distribution's proxy mode). The upstream knows the
 * repository by the rest of the name: with prefix {@code hub/}, {@code hub/library/alpine} is
 * {@code library/alpine} there. Tags are revalidated {@code ttl} after they were last checked.
 *
 * @param prefix    empty, or a repository name prefix ending in {@code /}
 * @param remoteUrl the upstream's base URL, e.g. {@code https://registry-1.docker.io}
 * @param username  for the upstream's Basic auth or token realm; empty for anonymous pulls
 * @param password  with {@code username}; never logged
 * @param ttl       how long a tag is served from storage before the upstream is asked again
 * @param readTimeout how long the upstream may stay silent: before its response headers, and
 *                  between any two reads of a body (a stalled upstream fails the pull)
 *
 * Published API.
 */
public record Upstream(String prefix, URI remoteUrl, Optional<String> username, Optional<String> password,
                       Duration ttl, Duration readTimeout) {
    /** distribution's default {@code proxy.ttl}. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(168);
    /** Stevedore's default {@code proxy.readtimeout}. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    private static final java.util.Set<String> DOCKER_HUB_HOSTS =
            java.util.Set.of("registry-1.docker.io", "index.docker.io", "docker.io", "registry.hub.docker.com");

    public Upstream {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(remoteUrl, "remoteUrl");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("proxy readtimeout must be positive");
        }
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//"))) {
            throw new IllegalArgumentException("proxy prefix must be empty or end with '/': '" + prefix + "'");
        }
        if (!prefix.isEmpty()) {
            try {
                RepositoryName.of(prefix.substring(0, prefix.length() - 1));
            } catch (RuntimeException invalid) {
                throw new IllegalArgumentException("proxy prefix is no repository name: '" + prefix + "'");
            }
        }
        String scheme = remoteUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || remoteUrl.getHost() == null) {
            throw new IllegalArgumentException("proxy remoteurl must be an http or https URL: " + remoteUrl);
        }
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("proxy username and password go together");
        }
        if (ttl.isNegative()) throw new IllegalArgumentException("proxy ttl must not be negative");
    }

    /** An upstream with the default read timeout. */
    public Upstream(String prefix, URI remoteUrl, Optional<String> username, Optional<String> password, Duration ttl) {
        this(prefix, remoteUrl, username, password, ttl, DEFAULT_READ_TIMEOUT);
    }

    /** An anonymous upstream with the default TTL. */
    public static Upstream of(String prefix, URI remoteUrl) {
        return new Upstream(prefix, remoteUrl, Optional.empty(), Optional.empty(), DEFAULT_TTL);
    }

    /** The same upstream with credentials. */
    public Upstream withCredentials(String user, String secret) {
        return new Upstream(prefix, remoteUrl, Optional.of(user), Optional.of(secret), ttl, readTimeout);
    }

    /** The same upstream with another TTL. */
    public Upstream withTtl(Duration newTtl) {
        return new Upstream(prefix, remoteUrl, username, password, newTtl, readTimeout);
    }

    /** The same upstream with another read timeout. */
    public Upstream withReadTimeout(Duration timeout) {
        return new Upstream(prefix, remoteUrl, username, password, ttl, timeout);
    }

    /** Whether this upstream serves {@code name}: the prefix matches and leaves a name behind. */
    public boolean covers(RepositoryName name) {
        return name.value().startsWith(prefix) && name.value().length() > prefix.length();
    }

    /**
     * The repository's name at the upstream. Docker Hub keeps official images under
     * {@code library/}, which docker adds on the client side: {@code hub/alpine} is
     * {@code library/alpine} there, as {@code docker pull alpine} would ask.
     */
    public String remoteName(RepositoryName name) {
        String remote = name.value().substring(prefix.length());
        if (remote.indexOf('/') < 0 && DOCKER_HUB_HOSTS.contains(remoteUrl.getHost())) return "library/" + remote;
        return remote;
    }

    /** Without the password: safe to log. */
    @Override
    public String toString() {
        return "Upstream[prefix=" + prefix + ", remoteUrl=" + remoteUrl + ", username=" + username.orElse("-")
                + ", ttl=" + ttl + ", readTimeout=" + readTimeout + "]";
    }
}
