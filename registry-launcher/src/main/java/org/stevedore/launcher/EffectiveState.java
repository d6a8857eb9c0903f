package org.stevedore.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings an operator most needs to see at a glance, as words: where content is stored, who
 * may use the registry, and whether it deletes, writes, collects garbage and purges uploads. The
 * start banner and {@code serve --check} both print it, so a typo that leaves a setting at its
 * default shows at once.
 */
final class EffectiveState {
    private EffectiveState() {
    }

    /** "storage root /srv/registry, auth htpasswd, delete enabled, read-write, online GC off, ...". */
    static String describe(RegistryConfig config) {
        StorageConfig storage = config.storage();
        List<String> parts = new ArrayList<>();
        parts.add(storage(storage.driver()));
        parts.add("auth " + config.auth().map(AuthConfig::type).orElse("none"));
        parts.add(storage.deleteEnabled() ? "delete enabled" : "delete disabled");
        parts.add(storage.readOnly() ? "read-only" : "read-write");
        parts.add(storage.garbageCollection().map(gc -> "online GC every " + words(gc.interval())
                + " (grace " + words(gc.gracePeriod()) + ")").orElse("online GC off"));
        StorageConfig.UploadPurging purging = storage.uploadPurging();
        parts.add(purging.enabled() ? "upload purging of sessions older than " + words(purging.age()) + " every "
                + words(purging.interval()) + (purging.dryRun() ? " (dry run)" : "") : "upload purging off");
        return String.join(", ", parts);
    }

    static String storage(StorageConfig.Driver driver) {
        if (driver instanceof StorageConfig.Driver.Filesystem fs) {
            return "storage root " + fs.root().toAbsolutePath().normalize();
        }
        if (driver instanceof StorageConfig.Driver.S3 s3) {
            Object bucket = s3.parameters().get("bucket");
            return "S3 storage" + (bucket != null ? " (bucket " + bucket + ")" : "");
        }
        return "in-memory storage";
    }

    /** 168h, 1h30m, 45s: Go's way of writing a duration, as the configuration file does. */
    static String words(Duration duration) {
        if (duration.isZero()) return "0s";
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        if (hours > 0) text.append(hours).append('h');
        if (duration.toMinutesPart() > 0) text.append(duration.toMinutesPart()).append('m');
        if (duration.toSecondsPart() > 0 || text.length() == 0) text.append(duration.toSecondsPart()).append('s');
        return text.toString();
    }
}
