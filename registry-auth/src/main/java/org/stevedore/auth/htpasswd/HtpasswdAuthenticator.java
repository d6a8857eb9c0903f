package org.stevedore.auth.htpasswd;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Checks a user name and password against an htpasswd file, through a {@link CredentialCache}.
 * An unknown user is checked against a dummy hash of the file's highest cost, so it takes as long
 * as a wrong password and does not reveal which names exist. Thread-safe.
 */
public final class HtpasswdAuthenticator {
    private final Supplier<HtpasswdSource.Snapshot> source;
    private final CredentialCache cache;
    private final ConcurrentHashMap<Integer, String> dummyHashes = new ConcurrentHashMap<>();
    private final LongAdder bcryptChecks = new LongAdder();
    private volatile long cachedGeneration;

    /** Over whatever supplies the current users: a watched file, or a fixed set for tests. */
    public HtpasswdAuthenticator(Supplier<HtpasswdSource.Snapshot> source, CredentialCache cache) {
        this.source = source;
        this.cache = cache;
        HtpasswdSource.Snapshot first = source.get();
        this.cachedGeneration = first.generation();
        // Made now, not on the first unknown user: otherwise that first probe would take twice as long.
        dummyHash(first.file().maxCost());
    }

    /** Over {@code source}, caching up to 1000 verified pairs for 5 minutes each. */
    public static HtpasswdAuthenticator over(HtpasswdSource source) {
        return new HtpasswdAuthenticator(source::current, new CredentialCache(1000, Duration.ofMinutes(5)));
    }

    /** Whether {@code password} is {@code user}'s password in the current file. */
    public boolean authenticate(String user, String password) {
        HtpasswdSource.Snapshot snapshot = source.get();
        if (snapshot.generation() != cachedGeneration) {
            // The file changed: nothing verified against the old one counts any more.
            cache.clear();
            cachedGeneration = snapshot.generation();
        }
        return cache.verify(user, password, snapshot.generation(), () -> {
            Optional<String> hash = snapshot.file().hashOf(user);
            bcryptChecks.increment();
            boolean matches = Bcrypt.verify(password, hash.orElseGet(() -> dummyHash(snapshot.file().maxCost())));
            return matches && hash.isPresent();
        });
    }

    /** How many bcrypt verifications ran: a metric, and how tests see that the cache works. */
    public long bcryptChecks() {
        return bcryptChecks.sum();
    }

    private String dummyHash(int cost) {
        // A hash of a random secret nobody knows, so the dummy check never succeeds.
        return dummyHashes.computeIfAbsent(cost, c -> Bcrypt.hash(UUID.randomUUID().toString(), c));
    }
}
