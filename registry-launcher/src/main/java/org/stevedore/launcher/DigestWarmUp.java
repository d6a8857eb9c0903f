package org.stevedore.launcher;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes a few dozen MiB with SHA-256 on a low-priority background thread at server start, so
 * the JIT has compiled the digest loop (and HotSpot switched to the CPU's SHA instructions)
 * before the first real upload: interpreted, SHA-256 runs at a few percent of its compiled speed,
 * and a server's first large push would pay for that. Embedded registries skip this: they start
 * and stop within a test and care about start time instead.
 */
final class DigestWarmUp {
    private static final int ROUNDS = 48;
    private static final int CHUNK_BYTES = 1024 * 1024;

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
