package org.stevedore.http;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/** The sha256 blobs whose bytes are in a store, read from the layout: what a collection left. */
final class StoredBlobs {
    private StoredBlobs() {
    }

    static Set<String> in(StorageDriver storage) throws IOException {
        Set<String> digests = new TreeSet<>();
        for (String prefix : storage.list(StorageLayout.BLOBS + "/sha256")) {
            for (String blob : storage.list(prefix)) {
                if (storage.statFile(blob + "/data").isPresent()) digests.add("sha256:" + StorageLayout.fileName(blob));
            }
        }
        return digests;
    }
}
