package org.stevedore.launcher;

import org.stevedore.registry.RegistryBuilder;

/** Applies {@link LifecycleOptions} to a registry builder. */
final class LifecycleSettings {
    private LifecycleSettings() {
    }

    static RegistryBuilder apply(LifecycleOptions options, RegistryBuilder builder) {
        RegistryBuilder configured = builder.deleteEnabled(options.deleteEnabled).readOnly(options.readOnly);
        if (options.gcInterval().isPresent()) {
            configured = configured.garbageCollection(options.gcInterval().get(), options.gcGracePeriod);
        }
        if (!options.noUploadPurging) {
            configured = configured.uploadPurging(options.uploadPurgingAge, options.uploadPurgingInterval,
                    options.uploadPurgingDryRun);
        }
        return configured;
    }
}
