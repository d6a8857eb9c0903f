package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * distribution's {@code storage} section: one driver and the settings beside it.
 *
 * @param driver           {@code filesystem}, {@code inmemory} or {@code s3}
 * @param deleteEnabled    {@code delete.enabled}; off by default, as in distribution
 * @param readOnly         {@code maintenance.readonly.enabled}
 * @param redirectDisabled {@code redirect.disable}: serve blob bytes instead of redirecting (S3)
 * @param uploadPurging    {@code maintenance.uploadpurging}; on by default, as in distribution
 * @param garbageCollection {@code maintenance.gc}, Stevedore's online garbage collection; off by default
 */
record StorageConfig(Driver driver, boolean deleteEnabled, boolean readOnly, boolean redirectDisabled,
                     UploadPurging uploadPurging, java.util.Optional<GarbageCollection> garbageCollection) {
    /** distribution's root when {@code filesystem} is chosen without {@code rootdirectory}. */
    static final Path DISTRIBUTION_ROOT = Path.of("/var/lib/registry");
    /** Stevedore's root with no configuration at all. */
    static final Path DEFAULT_ROOT = Path.of("./data");

    StorageConfig {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(uploadPurging, "uploadPurging");
        Objects.requireNonNull(garbageCollection, "garbageCollection");
    }

    static StorageConfig defaults() {
        return new StorageConfig(new Driver.Filesystem(DEFAULT_ROOT), false, false, false, UploadPurging.DEFAULT,
                java.util.Optional.empty());
    }

    StorageConfig withDriver(Driver driver) {
        return new StorageConfig(driver, deleteEnabled, readOnly, redirectDisabled, uploadPurging, garbageCollection);
    }

    /** distribution's {@code uploadpurging}: remove sessions older than {@code age} every {@code interval}. */
    record UploadPurging(boolean enabled, java.time.Duration age, java.time.Duration interval, boolean dryRun) {
        static final UploadPurging DEFAULT =
                new UploadPurging(true, java.time.Duration.ofHours(168), java.time.Duration.ofHours(24), false);
    }

    /**
     * Online garbage collection every {@code interval}, sparing unreferenced blobs used within
     * {@code gracePeriod} (longer than the longest push); the nodes over one store take turns
     * through a lease of {@code lease} (how long a node killed mid-collection holds the others off).
     */
    record GarbageCollection(java.time.Duration interval, java.time.Duration gracePeriod, java.time.Duration lease) {
        /** The builder's default lease. */
        static final java.time.Duration DEFAULT_LEASE = java.time.Duration.ofMinutes(5);
    }

    /** The one storage driver, as configured. */
    sealed interface Driver {
        /** {@code storage.filesystem.rootdirectory}. */
        record Filesystem(Path root) implements Driver {
            public Filesystem {
                Objects.requireNonNull(root, "root");
            }
        }

        /** {@code storage.inmemory}: content lives as long as the process. */
        record InMemory() implements Driver {
        }

        /** {@code storage.s3}: the parameters as written, for the S3 driver to read and check. */
        record S3(Map<String, Object> parameters) implements Driver {
            public S3 {
                parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
            }
        }
    }
}
