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
 * @param lifecycle deletion, read-only, online GC and upload purging flags (compared by identity)
 */
record ServeOptions(Optional<Path> config, ListenAddress address, Path root, LifecycleOptions lifecycle) {
    ServeOptions {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** With distribution's lifecycle defaults. */
    ServeOptions(Optional<Path> config, ListenAddress address, Path root) {
        this(config, address, root, new LifecycleOptions());
    }

    /** Equality over what was parsed, lifecycle flags included. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ServeOptions o && config.equals(o.config) && address.equals(o.address)
                && root.equals(o.root) && lifecycleKey().equals(o.lifecycleKey());
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, address, root, lifecycleKey());
    }

    private java.util.List<Object> lifecycleKey() {
        return java.util.Arrays.asList(lifecycle.deleteEnabled, lifecycle.readOnly, lifecycle.gcInterval,
                lifecycle.gcGracePeriod, lifecycle.noUploadPurging, lifecycle.uploadPurgingAge,
                lifecycle.uploadPurgingInterval, lifecycle.uploadPurgingDryRun);
    }
}
