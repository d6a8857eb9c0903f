package org.stevedore.auth.htpasswd;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
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
 */
public final class CredentialCache {
    private record Entry(long generation, long expiresNanos) {
    }

    /** One initialised MAC per thread: getInstance and init cost more than the MAC itself. */
    private final ThreadLocal<Mac> macs;
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries;

    public CredentialCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    CredentialCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
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
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > CredentialCache.this.maxEntries;
            }
        };
    }

    /** Whether this pair was verified against {@code generation} of the file and has not expired. */
    public boolean contains(String user, String password, long generation) {
        String id = idOf(user, password);
        synchronized (entries) {
            Entry entry = entries.get(id);
            if (entry == null) return false;
            if (entry.generation() != generation || nanoClock.getAsLong() - entry.expiresNanos() >= 0) {
                entries.remove(id);
                return false;
            }
            return true;
        }
    }

    /** Records that this pair matched {@code generation} of the file. */
    public void put(String user, String password, long generation) {
        String id = idOf(user, password);
        Entry entry = new Entry(generation, nanoClock.getAsLong() + ttlNanos);
        synchronized (entries) {
            entries.put(id, entry);
        }
    }

    /** Forgets everything, e.g. after the file changed. */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    /** How many pairs are remembered. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private String idOf(String user, String password) {
        Mac mac = macs.get(); // doFinal leaves it reset for the next use
        // The length prefix keeps ("a:b", "c") and ("a", "b:c") apart.
        byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
        mac.update(Integer.toString(userBytes.length).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) ':');
        mac.update(userBytes);
        mac.update(password.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }
}
