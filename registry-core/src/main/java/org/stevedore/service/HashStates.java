package org.stevedore.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running SHA-256 state of active uploads, keyed by session id and valid for one offset.
 * {@link MessageDigest} state cannot be serialised, so this is only a cache: on a miss (another
 * node took the previous chunk, or a restart) the state is rebuilt from the stored bytes.
 * Bounded: past {@link #MAX_ENTRIES} an arbitrary entry is dropped and will be rebuilt if needed.
 */
final class HashStates {
    static final int MAX_ENTRIES = 4096;

    private record State(long offset, MessageDigest digest) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** The digest state after exactly {@code offset} bytes of session {@code id}, if cached. */
    Optional<MessageDigest> take(String id, long offset) {
        State state = states.remove(id);
        return state != null && state.offset() == offset ? Optional.of(state.digest()) : Optional.empty();
    }

    void put(String id, long offset, MessageDigest digest) {
        if (states.size() >= MAX_ENTRIES) {
            Iterator<String> it = states.keySet().iterator();
            if (it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        states.put(id, new State(offset, digest));
    }

    void forget(String id) {
        states.remove(id);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
