package org.stevedore.auth.htpasswd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The verified-credential cache: bounded, expiring, tied to one version of the file. */
class CredentialCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final CredentialCache cache = new CredentialCache(2, Duration.ofSeconds(10), now::get);

    @Test
    void remembersOnlyTheExactPairForTheSameFileVersion() {
        cache.put("alice", "pw", 1);
        assertTrue(cache.contains("alice", "pw", 1));
        assertFalse(cache.contains("alice", "pw2", 1));
        assertFalse(cache.contains("alic", "epw", 1), "user and password are kept apart");
        assertFalse(cache.contains("alice", "pw", 2), "a reloaded file invalidates the entry");
        assertFalse(cache.contains("alice", "pw", 1), "and the entry is gone");
    }

    @Test
    void entriesExpire() {
        cache.put("alice", "pw", 1);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertTrue(cache.contains("alice", "pw", 1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(cache.contains("alice", "pw", 1));
    }

    @Test
    void leastRecentlyUsedEntriesGoFirst() {
        cache.put("a", "1", 1);
        cache.put("b", "2", 1);
        assertTrue(cache.contains("a", "1", 1)); // a is now the most recently used
        cache.put("c", "3", 1);
        assertEquals(2, cache.size());
        assertTrue(cache.contains("a", "1", 1));
        assertFalse(cache.contains("b", "2", 1));
        assertTrue(cache.contains("c", "3", 1));
        cache.clear();
        assertEquals(0, cache.size());
    }
}
