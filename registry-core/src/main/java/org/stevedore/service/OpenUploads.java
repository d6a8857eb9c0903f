package org.stevedore.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * The upload sessions open across every node sharing the store, for the bound on concurrent
 * sessions: one small marker file per session in one storage directory
 * ({@link StorageLayout#UPLOAD_SESSIONS}), holding the session's repository name. A start counts
 * the markers with one listing bounded by the limit (not a walk of every repository's
 * {@code _uploads}), then writes its own; completing, cancelling, expiring or purging a session
 * removes it. Nodes starting sessions at the same moment may together pass the bound by a few.
 *
 * <p>A session idle past the idle timeout stops counting: when a start finds the bound reached,
 * the markers of idle sessions are removed (at most once a second per node), and the session
 * itself goes when next used, as an idle one does, or by purging. Sessions distribution started
 * have no marker and do not count. Thread-safe.
 */
final class OpenUploads {
    private static final long SWEEP_NANOS = 1_000_000_000L;

    private final StorageDriver driver;
    private final UploadLimits limits;
    private final Clock clock;
    private volatile long lastSweep = System.nanoTime() - SWEEP_NANOS;

    OpenUploads(StorageDriver driver, UploadLimits limits, Clock clock) {
        this.driver = driver;
        this.limits = limits;
        this.clock = clock;
    }

    /** Counts a new session, or refuses it with {@code TOOMANYREQUESTS} when the bound is reached. */
    void open(RepositoryName name, String id) throws IOException {
        List<String> markers = markers();
        if (markers.size() >= limits.maxSessions() && sweepIdle(markers) > 0) markers = markers();
        if (markers.size() >= limits.maxSessions()) {
            throw ErrorCode.TOOMANYREQUESTS.withDetail("too many upload sessions open (limit "
                    + limits.maxSessions() + "); complete or cancel some, or retry later");
        }
        // Unsynced: a marker a machine crash loses only leaves its session uncounted (see UploadService#start).
        driver.writeSmallUnsynced(StorageLayout.uploadSessionMarker(id), name.value().getBytes(StandardCharsets.UTF_8));
    }

    /** Stops counting a session: it completed, was cancelled, expired or purged. */
    void close(String id) throws IOException {
        driver.delete(StorageLayout.uploadSessionMarker(id));
    }

    /** How many sessions count towards the bound (at most one more than it). */
    int size() throws IOException {
        return markers().size();
    }

    private List<String> markers() throws IOException {
        return driver.listPage(StorageLayout.UPLOAD_SESSIONS, "", limits.maxSessions() + 1);
    }

    /** Removes the markers of sessions idle past the timeout (or gone); returns how many. */
    private int sweepIdle(List<String> markers) throws IOException {
        long now = System.nanoTime();
        if (!limits.expires() || now - lastSweep < SWEEP_NANOS) return 0;
        lastSweep = now;
        Instant idleSince = clock.instant().minus(limits.idleTimeout());
        AtomicInteger removed = new AtomicInteger();
        List<BlobLocks.Work<?>> checks = new ArrayList<>(markers.size());
        for (String marker : markers) {
            checks.add(() -> {
                if (idle(marker, idleSince)) {
                    driver.delete(marker);
                    removed.incrementAndGet();
                }
                return null;
            });
        }
        Parallel.run(checks, 32);
        return removed.get();
    }

    /** Whether the marker's session received nothing since {@code idleSince}, as {@code UploadService} judges it. */
    private boolean idle(String marker, Instant idleSince) throws IOException {
        String id = StorageLayout.fileName(marker);
        RepositoryName name;
        try {
            name = RepositoryName.of(new String(driver.readSmall(marker, 1024), StandardCharsets.UTF_8));
        } catch (NoSuchFileException gone) {
            return false;
        } catch (RuntimeException unreadable) {
            return driver.statFile(marker).map(info -> info.modified().isBefore(idleSince)).orElse(false);
        }
        Optional<FileInfo> started = driver.statFile(StorageLayout.uploadStartedAt(name, id));
        Instant touched = started.map(FileInfo::modified)
                .orElseGet(() -> statTime(marker)); // a start killed before its startedat
        if (!touched.isBefore(idleSince)) return false;
        Optional<FileInfo> data = driver.statFile(StorageLayout.uploadData(name, id));
        return data.isEmpty() || data.get().modified().isBefore(idleSince);
    }

    private Instant statTime(String marker) {
        try {
            return driver.statFile(marker).map(FileInfo::modified).orElse(Instant.EPOCH);
        } catch (IOException e) {
            return Instant.now(); // unknown: not idle
        }
    }
}
