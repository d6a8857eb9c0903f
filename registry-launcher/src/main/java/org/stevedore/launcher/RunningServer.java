package org.stevedore.launcher;

import java.util.Optional;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;

/**
 * What {@code serve} started: the registry, what watches it (health checks, debug listener) and
 * the storage driver built for it. Closing stops the watchers first, then drains and stops the
 * registry; {@link RegistryServer#close(RunningServer)} also closes the driver.
 *
 * @param storage the driver as built, before any metering wrapper: the one to close
 */
record RunningServer(Registry registry, Observability observability, StorageDriver storage) implements AutoCloseable {
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
