package org.stevedore.service;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.stevedore.model.Digest;

/**
 * Manifest bytes by digest. Content-addressed bytes never change, so caching them is safe on any
 * number of nodes; whether a repository still has the manifest is checked in storage on every
 * request. Bounded by total bytes; when full an arbitrary entry makes room.
 */
final class ManifestCache {
    private final long maxBytes;
    private final Map<Digest, StoredManifest> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    ManifestCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    Optional<StoredManifest> find(Digest digest) {
        return Optional.ofNullable(entries.get(digest));
    }

    void put(StoredManifest manifest) {
        long size = manifest.bytes().length;
        if (size > maxBytes / 4) return;
        Iterator<Digest> victims = entries.keySet().iterator();
        while (bytes.get() + size > maxBytes && victims.hasNext()) {
            StoredManifest removed = entries.remove(victims.next());
            if (removed != null) bytes.addAndGet(-removed.bytes().length);
        }
        if (entries.putIfAbsent(manifest.digest(), manifest) == null) bytes.addAndGet(size);
    }
}
