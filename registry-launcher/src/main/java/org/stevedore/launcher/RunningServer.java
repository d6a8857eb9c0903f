package org.stevedore.launcher;

import java.util.Optional;
import org.stevedore.registry.Registry;

/**
 * What {@code serve} started: the registry and what watches it (health checks, debug listener).
 * Closing stops the watchers first, then drains and stops the registry.
 */
record RunningServer(Registry registry, Observability observability) implements AutoCloseable {
    /** The debug listener, when {@code http.debug.addr} is set. */
    Optional<DebugServer> debug() {
        return observability.debug();
    }

    @Override
    public void close() {
        observability.close();
        registry.close();
    }
}
