package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code stevedore serve} was asked to do: the configuration file (if any) with the
 * environment and command-line flags applied over it, validated.
 *
 * @param configFile the file read: the CONFIG argument or {@code REGISTRY_CONFIGURATION_PATH}
 * @param config     the effective configuration
 */
record ServeOptions(Optional<Path> configFile, RegistryConfig config) {
    ServeOptions {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(config, "config");
    }

    /** Where to listen. */
    ListenAddress address() {
        return config.http().address();
    }
}
