package org.stevedore.auth.htpasswd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers which user and password pairs were verified, so a 50-layer pull pays for bcrypt once,
 * not 50 times. It never holds a password: the key is an HMAC-SHA256 of user and password under a
 * random per-process key, useless to anyone who reads the heap without that key, and the value
 * only says for which htpasswd generation and until when the pair is good. Bounded (least
 * recently used entries go first) and expiring. Only successes are cached, so a wrong password
 * always costs a full bcrypt check. Thread-safe.
 *
 * <p>Lookups run on every authenticated request, so they take no lock: a concurrent map, and a
 * recency stamp per entry from a shared counter. Only an insertion into a full cache pays for
 * finding the least recently used entry, by a scan; insertions follow a bcrypt check, which costs
 * far more than scanning a thousand entries.
 */
public final class CredentialCache {
    private static final class Entry {
        final long generation;
        final long expiresNanos;
        volatile long lastUse;

        Entry(long generation, long expiresNanos, long lastUse) {
            this.generation = generation;
            this.expiresNanos = expiresNanos;
            this.lastUse = lastUse;
        }
    }

    /** One initialised MAC per thread: getInstance and init cost more than the MAC itself. */
    private final ThreadLocal<Mac> macs;
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong uses = new AtomicLong();

    public CredentialCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    CredentialCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        if (maxEntries <= 0) throw new IllegalArgumentException("maxEntries must be positive");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        });
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Whether this pair was verified against {@code generation} of the file and has not expired. */
    public boolean contains(String user, String password, long generation) {
        ByteBuffer id = idOf(user, password);
        Entry entry = entries.get(id);
        if (entry == null) return false;
        if (entry.generation != generation || nanoClock.getAsLong() - entry.expiresNanos >= 0) {
            entries.remove(id, entry);
            return false;
        }
        entry.lastUse = uses.incrementAndGet();
        return true;
    }

    /** Records that this pair matched {@code generation} of the file. */
    public void put(String user, String password, long generation) {
        ByteBuffer id = idOf(user, password);
        entries.put(id, new Entry(generation, nanoClock.getAsLong() + ttlNanos, uses.incrementAndGet()));
        while (entries.size() > maxEntries) evictLeastRecentlyUsed();
    }

    private void evictLeastRecentlyUsed() {
        Map.Entry<ByteBuffer, Entry> oldest = null;
        for (Map.Entry<ByteBuffer, Entry> candidate : entries.entrySet()) {
            if (oldest == null || candidate.getValue().lastUse < oldest.getValue().lastUse) oldest = candidate;
        }
        if (oldest != null) entries.remove(oldest.getKey(), oldest.getValue());
    }

    /** Forgets everything, e.g. after the file changed. */
    public void clear() {
        entries.clear();
    }

    /** How many pairs are remembered. */
    public int size() {
        return entries.size();
    }

    private ByteBuffer idOf(String user, String password) {
        Mac mac = macs.get(); // doFinal leaves it reset for the next use
        // The length prefix keeps ("a:b", "c") and ("a", "b:c") apart.
        byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
        mac.update(Integer.toString(userBytes.length).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) ':');
        mac.update(userBytes);
        mac.update(password.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(mac.doFinal()); // content-based equals and hashCode; never mutated
    }
}
