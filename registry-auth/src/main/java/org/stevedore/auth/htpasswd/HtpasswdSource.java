package org.stevedore.auth.htpasswd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An htpasswd file kept current: requests call {@link #current()}, which at most once per check
 * interval compares the file's modification time, size and identity with what was loaded and
 * re-reads it when they differ. Cheap (one {@code stat} a second) and needs no watcher thread.
 * A file that fails to load at start throws; one that turns bad later denies everybody until it
 * is fixed (failing closed: a removed user must not keep working), and logs why once.
 * Thread-safe.
 */
public final class HtpasswdSource {
    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdSource.class);

    /** One loaded version of the file; {@code generation} grows with every reload. */
    public record Snapshot(HtpasswdFile file, long generation) {
    }

    private record Stamp(long modifiedMillis, long size, Object fileKey) {
    }

    private final Path path;
    private final long checkIntervalNanos;
    private final LongSupplier nanoClock;
    private volatile Snapshot snapshot;
    private volatile long nextCheckNanos;
    private Stamp stamp;

    private HtpasswdSource(Path path, Duration checkInterval, LongSupplier nanoClock) throws IOException {
        this.path = Objects.requireNonNull(path, "path");
        this.checkIntervalNanos = checkInterval.toNanos();
        this.nanoClock = nanoClock;
        this.stamp = stampOf(path);
        this.snapshot = new Snapshot(HtpasswdFile.read(path), 1);
        this.nextCheckNanos = nanoClock.getAsLong() + checkIntervalNanos;
    }

    /** Loads {@code path} now (throwing on a bad file) and re-checks it about once a second. */
    public static HtpasswdSource watch(Path path) {
        return watch(path, Duration.ofSeconds(1));
    }

    /** As {@link #watch(Path)}, checking for changes at most once per {@code checkInterval}. */
    public static HtpasswdSource watch(Path path, Duration checkInterval) {
        try {
            return new HtpasswdSource(path, checkInterval, System::nanoTime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read htpasswd file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file as last loaded, re-read first if it changed since (checked at most per interval). */
    public Snapshot current() {
        long now = nanoClock.getAsLong();
        if (now - nextCheckNanos >= 0) reloadIfChanged(now);
        return snapshot;
    }

    private synchronized void reloadIfChanged(long now) {
        if (now - nextCheckNanos < 0) return; // another thread just checked
        nextCheckNanos = now + checkIntervalNanos;
        Stamp seen;
        try {
            seen = stampOf(path);
        } catch (IOException e) {
            seen = new Stamp(-1, -1, null);
        }
        if (seen.equals(stamp)) return;
        stamp = seen;
        long generation = snapshot.generation() + 1;
        try {
            snapshot = new Snapshot(HtpasswdFile.read(path), generation);
            LOG.info("reloaded htpasswd file {}: {} users", path, snapshot.file().size());
        } catch (IOException | RuntimeException e) {
            snapshot = new Snapshot(HtpasswdFile.parse(path, List.of()), generation);
            LOG.error("htpasswd file {} cannot be used, nobody can log in until it is fixed: {}", path, e.getMessage());
        }
    }

    private static Stamp stampOf(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
    }

    /** The file this source reads. */
    public Path path() {
        return path;
    }
}
