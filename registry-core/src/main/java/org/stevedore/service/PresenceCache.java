package org.stevedore.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;

/**
 * What this node recently saw in storage about blobs, for at most a short time-to-live: a blob's
 * bytes exist and have this size, a repository links a blob, a repository has manifests. Only
 * positive facts are kept (a push on another node is visible at once), and only facts that
 * change by deletion: a blob's size never changes (its digest names its bytes), links and
 * directories go away only by a delete or garbage collection.
 *
 * <p>The trade-off, for nodes behind a load balancer: a delete on <em>another</em> node is seen
 * here after at most the time-to-live; a delete through this node at once (the services forget
 * what they delete). A blob whose bytes vanished while remembered still fails cleanly: opening it
 * answers {@code BLOB_UNKNOWN} and forgets it. Nothing that decides whether bytes must be stored,
 * nor the existence check garbage collection relies on, reads this cache.
 *
 * <p>It also remembers the blobs whose use this node wrote to storage in the last
 * {@link #USE_WINDOW}, so that the blobs of a manifest pushed right after its layers (or pushed
 * again under another tag) cost no round trip at all; see {@link GarbageCollector}.
 *
 * <p>A time-to-live of zero turns the cache off (the default for drivers whose stat is cheap).
 * Bounded: past {@link #MAX_ENTRIES} per kind, expired entries go, then everything if needed.
 */
final class PresenceCache {
    static final int MAX_ENTRIES = 100_000;
    /**
     * How long one use of a blob written to storage stands for later uses by this node: pushes
     * within it write no {@code lastused} again. Garbage collection on another node therefore
     * needs a grace period longer than the longest push plus this; the collector on this node
     * also asks {@link #usedSince}.
     */
    static final Duration USE_WINDOW = Duration.ofSeconds(2);

    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<Digest, Sized> stored = new ConcurrentHashMap<>();
    private final Map<Link, Long> linked = new ConcurrentHashMap<>();
    private final Map<RepositoryName, Long> repositories = new ConcurrentHashMap<>();
    private final Map<Digest, Use> uses = new ConcurrentHashMap<>();

    /** When this node last wrote a blob's use to storage, and the last use it let that record stand for. */
    private record Use(long touched, Instant last) {
    }

    private record Sized(long size, long expires) {
    }

    private record Link(RepositoryName name, Digest digest) {
    }

    PresenceCache(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    PresenceCache(Duration ttl, LongSupplier clock) {
        if (ttl.isNegative()) throw new IllegalArgumentException("negative time-to-live");
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /** The size of a blob whose bytes were recently seen, if remembered. */
    OptionalLong storedSize(Digest digest) {
        Sized entry = stored.get(digest);
        if (entry == null || expired(entry.expires())) return OptionalLong.empty();
        return OptionalLong.of(entry.size());
    }

    void stored(Digest digest, long size) {
        if (enabled()) put(stored, digest, new Sized(size, clock.getAsLong() + ttlNanos));
    }

    /** Forgets the blob's bytes and uses: they were deleted, or found missing. */
    void forgetStored(Digest digest) {
        stored.remove(digest);
        uses.remove(digest);
    }

    /**
     * Whether this node recorded a use of the blob in storage less than {@link #USE_WINDOW} ago
     * (so its bytes existed then); if so, counts this use too, for {@link #usedSince}. Then the
     * caller needs neither to check the bytes nor to write the use again.
     */
    boolean useRecorded(Digest digest) {
        Use use = uses.get(digest);
        if (use == null || clock.getAsLong() - use.touched() >= USE_WINDOW.toNanos()) return false;
        uses.put(digest, new Use(use.touched(), Instant.now()));
        return true;
    }

    /** This node just wrote a use of the blob to storage (its {@code lastused} file or its bytes). */
    void touched(Digest digest) {
        if (enabled()) put(uses, digest, new Use(clock.getAsLong(), Instant.now()));
    }

    /** Whether this node used the blob at or after {@code instant} without writing it to storage. */
    boolean usedSince(Digest digest, Instant instant) {
        Use use = uses.get(digest);
        return use != null && !use.last().isBefore(instant);
    }

    boolean linked(RepositoryName name, Digest digest) {
        return fresh(linked.get(new Link(name, digest)));
    }

    void linked(RepositoryName name, Digest digest, boolean present) {
        if (!present) linked.remove(new Link(name, digest));
        else if (enabled()) put(linked, new Link(name, digest), clock.getAsLong() + ttlNanos);
    }

    /** Whether {@code name} recently had manifests (its {@code _manifests} directory existed). */
    boolean hasManifests(RepositoryName name) {
        return fresh(repositories.get(name));
    }

    void hasManifests(RepositoryName name, boolean present) {
        if (!present) repositories.remove(name);
        else if (enabled()) put(repositories, name, clock.getAsLong() + ttlNanos);
    }

    private boolean fresh(Long expires) {
        return expires != null && !expired(expires);
    }

    private boolean expired(long expires) {
        return clock.getAsLong() - expires >= 0;
    }

    private <K, V> void put(Map<K, V> map, K key, V value) {
        if (map.size() >= MAX_ENTRIES) {
            long now = clock.getAsLong();
            for (Iterator<V> it = map.values().iterator(); it.hasNext(); ) {
                V v = it.next();
                long expires = v instanceof Sized s ? s.expires()
                        : v instanceof Use u ? u.touched() + USE_WINDOW.toNanos() : (Long) v;
                if (now - expires >= 0) it.remove();
            }
            if (map.size() >= MAX_ENTRIES) map.clear(); // all fresh: start over rather than grow
        }
        map.put(key, value);
    }
}
