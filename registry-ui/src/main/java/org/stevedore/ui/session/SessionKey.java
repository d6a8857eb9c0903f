package org.stevedore.ui.session;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import org.slf4j.LoggerFactory;
import org.stevedore.storage.StorageDriver;

/**
 * Where the key that signs session cookies comes from when the operator gives none: a file in
 * the registry's own storage, beside (not inside) distribution's tree, made by the first node
 * that needs it and read by every other, so that nodes over one store accept each other's
 * cookies and restarts keep sessions.
 */
public final class SessionKey {
    /** Outside {@code /docker/registry/v2}, which distribution and garbage collection walk. */
    public static final String PATH = "/stevedore/ui/session-key";
    private static final int LENGTH = 32;

    private SessionKey() {
    }

    /**
     * The stored key, made first if there is none. Two nodes starting at the same moment over an
     * empty store may both write; the one that reads back a key other than its own uses the
     * stored one, so only a node that reads before the other's write lands can differ, and its
     * cookies fail over to a new login, never to a wrong user.
     */
    public static byte[] loadOrCreate(StorageDriver storage) {
        try {
            try {
                byte[] stored = storage.readSmall(PATH, 1024);
                if (stored.length >= LENGTH) return stored;
            } catch (NoSuchFileException absent) {
                // first start over this store
            }
            byte[] key = new byte[LENGTH];
            new SecureRandom().nextBytes(key);
            storage.writeSmall(PATH, key);
            return storage.readSmall(PATH, 1024);
        } catch (IOException | RuntimeException e) {
            // A read-only store: the UI still works, with sessions valid on this node until it restarts.
            LoggerFactory.getLogger(SessionKey.class).warn("cannot keep the UI session key in storage at {} ({});"
                    + " using a key for this node only: set ui.sessionkey when several nodes serve the UI", PATH, e.toString());
            byte[] key = new byte[LENGTH];
            new SecureRandom().nextBytes(key);
            return key;
        }
    }
}
