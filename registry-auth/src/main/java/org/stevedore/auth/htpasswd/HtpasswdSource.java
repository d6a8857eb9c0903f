package org.stevedore.auth.htpasswd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An htpasswd file kept current: requests call {@link #current()}, which at most once per check
 * interval compares the file's modification time, size and identity with what was loaded and
 * re-reads it when they differ. Cheap (one {@code stat} a second) and needs no watcher thread.
 * A missing or bad file is never fatal and never lets anyone in it does not list. At start (as
 * distribution, which starts whatever the file) nobody can log in until a good file appears; later
 * (an MD5 line added with {@code htpasswd -b}, a half-written copy, a removed file) the last good
 * version stays in use, so one bad line locks nobody out. Either way a warning says why in words
 * ("does not exist", the file and line of a bad entry) when the file changes and again every
 * minute until it is fixed; {@link #problem()} says it too. Thread-safe.
 */
public final class HtpasswdSource {
    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdSource.class);

    /** One loaded version of the file; {@code generation} grows with every reload. */
    public record Snapshot(HtpasswdFile file, long generation) {
    }

    private record Stamp(long modifiedMillis, long size, Object fileKey) {
    }

    /** The stamp of a file that cannot be stat'ed: any file appearing differs from it. */
    private static final Stamp MISSING = new Stamp(-1, -1, null);
    /** How often a file that stays unusable is warned about again. */
    private static final long REMINDER_NANOS = Duration.ofMinutes(1).toNanos();

    private final Path path;
    private final long checkIntervalNanos;
    private final LongSupplier nanoClock;
    private volatile Snapshot snapshot;
    private volatile long nextCheckNanos;

    private Stamp stamp;
    /** Why the file on disk cannot be used now, while the last good version serves; null when it can. */
    private String problem;
    /** Whether no version of the file has loaded yet: then nobody can log in. */
    private boolean neverLoaded;
    private long nextReminderNanos;

    private HtpasswdSource(Path path, Duration checkInterval, LongSupplier nanoClock) {
        this.path = Objects.requireNonNull(path, "path");
        this.checkIntervalNanos = checkInterval.toNanos();
        this.nanoClock = nanoClock;
        this.nextCheckNanos = nanoClock.getAsLong() + checkIntervalNanos;
        try {
            this.stamp = stampOf(path);
            this.snapshot = new Snapshot(load(path), 1);
        } catch (IOException | RuntimeException e) {
            this.stamp = stamp == null ? MISSING : stamp;
            this.snapshot = new Snapshot(HtpasswdFile.parse(path, java.util.List.of()), 1);
            this.problem = describe(path, e);
            this.neverLoaded = true;
            warn(nanoClock.getAsLong());
        }
    }

    /** Loads {@code path} now and re-checks it about once a second; a missing or bad file is warned about. */
    public static HtpasswdSource watch(Path path) {
        return watch(path, Duration.ofSeconds(1));
    }

    /** As {@link #watch(Path)}, checking for changes at most once per {@code checkInterval}. */
    public static HtpasswdSource watch(Path path, Duration checkInterval) {
        return new HtpasswdSource(path, checkInterval, System::nanoTime);
    }

    /** Why the file on disk cannot be used right now ("htpasswd file F does not exist"), if it cannot. */
    public synchronized java.util.Optional<String> problem() {
        return java.util.Optional.ofNullable(problem);
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
            seen = MISSING;
        }
        if (seen.equals(stamp)) {
            if (problem != null && now - nextReminderNanos >= 0) warn(now);
            return;
        }
        stamp = seen;
        try {
            snapshot = new Snapshot(load(path), snapshot.generation() + 1);
            problem = null;
            neverLoaded = false;
            LOG.info("reloaded htpasswd file {}: {} users", path, snapshot.file().size());
        } catch (IOException | RuntimeException e) {
            problem = describe(path, e);
            warn(now);
        }
    }

    private void warn(long now) {
        nextReminderNanos = now + REMINDER_NANOS;
        if (neverLoaded) {
            LOG.warn("{}; nobody can log in until it is fixed", problem);
        } else {
            LOG.warn("{}; still using the version loaded before ({} users) until it is fixed", problem,
                    snapshot.file().size());
        }
    }

    /** Reads the file; a missing one or a directory is an {@link IOException} {@link #describe} puts in words. */
    private static HtpasswdFile load(Path path) throws IOException {
        if (Files.isDirectory(path)) throw new java.nio.file.FileSystemException(path.toString(), null, "directory");
        return HtpasswdFile.read(path);
    }

    /** "htpasswd file /auth/htpasswd does not exist", not an exception class name. */
    private static String describe(Path path, Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "htpasswd file " + path + " does not exist";
        if (e instanceof java.nio.file.AccessDeniedException) return "htpasswd file " + path + ": permission denied";
        if (e instanceof java.nio.file.FileSystemException fs && "directory".equals(fs.getReason())) {
            return "htpasswd file " + path + " is a directory, not a file";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) return "htpasswd file " + path + " is not UTF-8 text";
        if (e instanceof HtpasswdFormatException) return e.getMessage(); // names the file and line
        return "cannot read htpasswd file " + path + ": " + e.getMessage();
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
