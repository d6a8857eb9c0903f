package org.stevedore.auth.htpasswd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Remembers which user and password pairs were verified, so a 50-layer pull pays for bcrypt once,
 * not 50 times. It never holds a password: the key is a SHA-256 of a random per-process secret,
 * user and password, useless to anyone who reads the heap without that secret, and the value
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
    /** A verification in progress, by pair and file generation. */
    private record Running(ByteBuffer id, long generation) {
    }

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

    /**
     * SHA-256 that has already absorbed one 64-byte block of secret; each lookup clones it. A
     * secret-prefix hash is enough here: the result is only a map key, never shown to anyone, so
     * length extension gives an attacker nothing, and it costs one compression instead of HMAC's
     * four plus its per-call key setup. Never updated after construction, so cloning is thread-safe.
     */
    private final MessageDigest keyed;
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Running, CompletableFuture<Boolean>> running = new ConcurrentHashMap<>();
    private final AtomicLong uses = new AtomicLong();

    public CredentialCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    CredentialCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        if (maxEntries <= 0) throw new IllegalArgumentException("maxEntries must be positive");
        byte[] secret = new byte[64];
        new SecureRandom().nextBytes(secret);
        try {
            this.keyed = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        keyed.update(secret);
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

    /**
     * Whether this pair is verified: from the cache, or else by {@code check} (the bcrypt
     * comparison), remembering a success. Concurrent calls for the same pair share one
     * {@code check}: a client that opens 32 connections at once with new credentials costs one
     * bcrypt, not 32, and each waiter takes as long as the check, as it would have alone.
     */
    public boolean verify(String user, String password, long generation, BooleanSupplier check) {
        if (contains(user, password, generation)) return true;
        ByteBuffer id = idOf(user, password);
        Running key = new Running(id, generation);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) return theirs.join();
        try {
            // A check that just finished put its success in the cache before it stopped running.
            boolean verified = contains(user, password, generation) || check.getAsBoolean();
            if (verified) put(user, password, generation);
            mine.complete(verified);
            return verified;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
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
        MessageDigest digest;
        try {
            digest = (MessageDigest) keyed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
        // The length prefix keeps ("a:b", "c") and ("a", "b:c") apart.
        byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
        int length = userBytes.length;
        digest.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        digest.update(userBytes);
        digest.update(password.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest.digest()); // content-based equals and hashCode; never mutated
    }
}
