package org.stevedore.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which requests a fault applies to: a method, a path part, a kind of route, a repository, and
 * optionally only a seeded random share of them. Immutable; start from {@link #any()}. Published API.
 *
 * <pre>{@code
 * FaultMatch blobGets = FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB).repository("demo/app");
 * registry.faults().failNext(Faults.UNLIMITED, blobGets.sampled(0.05, 42), 503); // 5% of blob GETs
 * }</pre>
 */
public final class FaultMatch {

    /** The kinds of distribution API route, as a fault scopes them. */
    public enum Route {
        /** {@code /v2/} */ BASE,
        /** {@code /v2/_catalog} */ CATALOG,
        /** {@code /v2/NAME/tags/list} */ TAGS,
        /** {@code /v2/NAME/manifests/REFERENCE} */ MANIFEST,
        /** {@code /v2/NAME/blobs/DIGEST} */ BLOB,
        /** {@code /v2/NAME/blobs/uploads/...} */ UPLOAD,
        /** {@code /v2/NAME/referrers/DIGEST} */ REFERRERS,
        /** anything else */ OTHER
    }

    private static final FaultMatch ANY = new FaultMatch("*", "", Optional.empty(), Optional.empty(), 1.0, 0);

    private final String method;
    private final String pathPart;
    private final Optional<Route> route;
    private final Optional<String> repository;
    private final double probability;
    private final long seed;

    private FaultMatch(String method, String pathPart, Optional<Route> route, Optional<String> repository,
                       double probability, long seed) {
        this.method = method;
        this.pathPart = pathPart;
        this.route = route;
        this.repository = repository;
        this.probability = probability;
        this.seed = seed;
    }

    /** Every request. */
    public static FaultMatch any() {
        return ANY;
    }

    /** Requests of {@code method} ({@code *}: any) whose path contains {@code pathPart}: the classic form. */
    public static FaultMatch of(String method, String pathPart) {
        return any().method(method).path(pathPart);
    }

    /** Only requests of this HTTP method; {@code *} for any. */
    public FaultMatch method(String value) {
        String upper = Objects.requireNonNull(value, "method").toUpperCase(Locale.ROOT);
        return new FaultMatch(upper, pathPart, route, repository, probability, seed);
    }

    /** Only requests whose path contains {@code part}. */
    public FaultMatch path(String part) {
        return new FaultMatch(method, Objects.requireNonNull(part, "path part"), route, repository, probability, seed);
    }

    /** Only requests to this kind of route. */
    public FaultMatch route(Route value) {
        return new FaultMatch(method, pathPart, Optional.of(value), repository, probability, seed);
    }

    /** Only requests about this repository (its manifests, blobs, uploads, tags, referrers). */
    public FaultMatch repository(String name) {
        return new FaultMatch(method, pathPart, route, Optional.of(Objects.requireNonNull(name, "repository")),
                probability, seed);
    }

    /**
     * Of the requests that match otherwise, only a random share {@code probability} (0 to 1),
     * drawn from a generator seeded with {@code seed}: the same requests in the same order get
     * the same faults, so a failing soak test can be replayed.
     */
    public FaultMatch sampled(double probability, long seed) {
        if (!(probability > 0 && probability <= 1)) throw new IllegalArgumentException("probability must be in (0, 1]");
        return new FaultMatch(method, pathPart, route, repository, probability, seed);
    }

    double probability() {
        return probability;
    }

    long seed() {
        return seed;
    }

    boolean matches(String requestMethod, String path) {
        if (!method.equals("*") && !method.equals(requestMethod)) return false;
        if (!path.contains(pathPart)) return false;
        if (route.isPresent() && route.get() != routeOf(path)) return false;
        return repository.isEmpty() || repository.get().equals(repositoryOf(path).orElse(null));
    }

    static Route routeOf(String path) {
        if (path.equals("/v2/") || path.equals("/v2")) return Route.BASE;
        if (!path.startsWith("/v2/")) return Route.OTHER;
        if (path.equals("/v2/_catalog")) return Route.CATALOG;
        if (path.contains("/blobs/uploads")) return Route.UPLOAD;
        if (path.contains("/blobs/")) return Route.BLOB;
        if (path.contains("/manifests/")) return Route.MANIFEST;
        if (path.endsWith("/tags/list")) return Route.TAGS;
        if (path.contains("/referrers/")) return Route.REFERRERS;
        return Route.OTHER;
    }

    static Optional<String> repositoryOf(String path) {
        if (!path.startsWith("/v2/")) return Optional.empty();
        String marker = switch (routeOf(path)) {
            case UPLOAD -> "/blobs/uploads";
            case BLOB -> "/blobs/";
            case MANIFEST -> "/manifests/";
            case TAGS -> "/tags/list";
            case REFERRERS -> "/referrers/";
            default -> null;
        };
        if (marker == null) return Optional.empty();
        int end = marker.equals("/blobs/uploads") ? path.indexOf(marker) : path.lastIndexOf(marker);
        return end > 4 ? Optional.of(path.substring(4, end)) : Optional.empty();
    }

    @Override
    public String toString() {
        return method + " *" + pathPart + "*" + route.map(r -> " " + r).orElse("") + repository.map(r -> " in " + r).orElse("")
                + (probability < 1 ? " sampled " + probability : "");
    }
}
