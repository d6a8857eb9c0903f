package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code stevedore serve} was asked to do, parsed and validated.
 *
 * @param config  distribution's {@code config.yml}, accepted but not read yet
 * @param address where to listen
 * @param root    storage root directory, in the reference registry's layout
 */
record ServeOptions(Optional<Path> config, ListenAddress address, Path root) {
    ServeOptions {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(root, "root");
    }
}
