package org.stevedore.service;

import java.io.IOException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.stevedore.model.Digest;

/**
 * Striped read-write locks by blob digest, shared by the writers of one process and its online
 * garbage collector. Writers (publish, mount, manifest push) hold a stripe shared while they
 * check that a blob exists and record its use; the collector holds it exclusively while it checks
 * the blob's last use and deletes it. Either the collector deletes first and the writer sees the
 * blob missing (the write fails, nothing is acknowledged), or the writer records its use first and
 * the collector sees it and keeps the blob. See {@link GarbageCollector} for the whole argument.
 */
final class BlobLocks {
    private static final int STRIPES = 256;
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];

    /** Work done under a lock; may fail with I/O. */
    interface Work<T> {
        T run() throws IOException;
    }

    BlobLocks() {
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantReadWriteLock();
    }

    <T> T shared(Digest digest, Work<T> work) throws IOException {
        return under(stripe(digest).readLock(), work);
    }

    <T> T exclusive(Digest digest, Work<T> work) throws IOException {
        return under(stripe(digest).writeLock(), work);
    }

    private ReentrantReadWriteLock stripe(Digest digest) {
        return stripes[Math.floorMod(digest.encoded().hashCode(), STRIPES)];
    }

    private static <T> T under(Lock lock, Work<T> work) throws IOException {
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }
}
