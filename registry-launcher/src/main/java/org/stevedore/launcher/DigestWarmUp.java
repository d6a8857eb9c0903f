package org.stevedore.launcher;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes a few dozen MiB with SHA-256 on a background thread shortly after the server is ready,
 * so the JIT has compiled the digest loop (and HotSpot switched to the CPU's SHA instructions)
 * before the first real upload: interpreted, SHA-256 runs at a few percent of its compiled speed,
 * and a server's first large push would pay for that. It waits {@link #DELAY_MILLIS} first, so
 * the first requests (a readiness probe, a login) do not share the CPU with it and the compilers
 * it keeps busy (Java thread priorities mean nothing to Linux's scheduler). One 64 KiB buffer
 * hashed over and over is enough: the JIT counts calls and loops, not bytes. Embedded registries
 * skip this: they start and stop within a test and care about start time instead.
 */
final class DigestWarmUp {
    private static final long DELAY_MILLIS = 1000;
    private static final int ROUNDS = 768;
    private static final int CHUNK_BYTES = 64 * 1024;

    private DigestWarmUp() {
    }

    static void startInBackground() {
        Thread thread = new Thread(DigestWarmUp::run, "stevedore-digest-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void run() {
        try {
            Thread.sleep(DELAY_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(CHUNK_BYTES);
            for (int i = 0; i < ROUNDS; i++) {
                direct.clear();
                sha256.update(direct); // the direct-buffer path uploads take
            }
            sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
