package org.stevedore.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: random version-4 UUIDs, as distribution's, so ids from different nodes behind one
 * load balancer, or from before and after a restart, never collide in shared logs (a per-process
 * counter restarts at 1 on every node). They name a request, they guard nothing, so a fast
 * per-thread generator serves; no lock is shared between workers.
 */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(most, least).toString();
    }
}
