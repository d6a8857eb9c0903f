package org.stevedore.launcher;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code serve} flags for content lifecycle, named after distribution's configuration keys until
 * the config file is read: {@code storage.delete.enabled}, {@code storage.maintenance.readonly},
 * {@code storage.maintenance.uploadpurging}, and Stevedore's online garbage collection. Defaults
 * are distribution's: deletion off, not read-only, purging on (168h, every 24h), no online GC.
 */
final class LifecycleOptions {
    @Option(names = "--delete-enabled", description = "allow DELETE of manifests, tags and blobs (storage.delete.enabled)")
    boolean deleteEnabled;

    @Option(names = "--read-only", description = "refuse every write with 405 UNSUPPORTED (maintenance.readonly)")
    boolean readOnly;

    @Option(names = "--gc-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "run online garbage collection this often, e.g. 1h (default: off)")
    Duration gcInterval;

    @Option(names = "--gc-grace-period", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "keep unreferenced blobs used this recently; longer than any push;"
            + " default 1h")
    Duration gcGracePeriod = Duration.ofHours(1);

    @Option(names = "--no-upload-purging",
            description = "do not purge abandoned upload sessions (maintenance.uploadpurging.enabled: false)")
    boolean noUploadPurging;

    @Option(names = "--upload-purging-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "age of sessions to purge; default 168h")
    Duration uploadPurgingAge = Duration.ofHours(168);

    @Option(names = "--upload-purging-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how often to purge; default 24h")
    Duration uploadPurgingInterval = Duration.ofHours(24);

    @Option(names = "--upload-purging-dry-run", description = "only log sessions that would be purged")
    boolean uploadPurgingDryRun;

    Optional<Duration> gcInterval() {
        return Optional.ofNullable(gcInterval);
    }

    /** Picocli converter for {@link GoDuration}; a bad value is a usage error (exit 2). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration duration = GoDuration.parse(value);
                if (duration.isNegative()) throw new IllegalArgumentException("negative duration");
                return duration;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
