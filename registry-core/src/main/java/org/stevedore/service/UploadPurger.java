package org.stevedore.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.Consumer;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Upload purging ({@code storage.maintenance.uploadpurging}): deletes upload sessions started
 * longer ago than a given age, as distribution's purger does. The start time is the session's
 * {@code startedat} file (RFC 3339, written by both registries); a session without a readable one
 * counts from its directory's last change, so debris of crashed uploads goes too.
 */
public final class UploadPurger {
    private final StorageDriver driver;
    /** Told the id of each deleted session, so the bound on open sessions stops counting it. */
    private final Purged onPurged;

    /** What is told of a purged session. */
    interface Purged {
        void session(String id) throws IOException;
    }

    UploadPurger(StorageDriver driver, Purged onPurged) {
        this.driver = driver;
        this.onPurged = onPurged;
    }

    /**
     * Deletes (or with {@code dryRun} only reports) sessions started before now minus {@code age}.
     *
     * @return how many sessions were (or would be) deleted
     */
    public int purge(Duration age, boolean dryRun, Consumer<String> progress) throws IOException {
        Instant startedBefore = Instant.now().minus(age);
        int purged = 0;
        for (RepositoryName name : RepositoryContents.repositories(driver)) {
            for (String session : driver.list(StorageLayout.uploadsDirectory(name))) {
                String id = StorageLayout.fileName(session);
                Optional<Instant> started = startedAt(name, id, session);
                if (started.isEmpty() || !started.get().isBefore(startedBefore)) continue;
                progress.accept((dryRun ? "upload eligible for purging: " : "purging upload: ") + name + " " + id);
                if (!dryRun) {
                    driver.delete(session);
                    onPurged.session(id);
                }
                purged++;
            }
        }
        if (!dryRun) removeOrphanMarkers(startedBefore);
        return purged;
    }

    /**
     * Removes the session markers ({@link StorageLayout#UPLOAD_SESSIONS}) older than the cutoff
     * whose session is gone: a node killed between a session's end and its marker's removal, or
     * a session deleted by a tool that does not know the markers.
     */
    private void removeOrphanMarkers(Instant startedBefore) throws IOException {
        for (String marker : driver.list(StorageLayout.UPLOAD_SESSIONS)) {
            Optional<FileInfo> info = driver.statFile(marker);
            if (info.isEmpty() || !info.get().modified().isBefore(startedBefore)) continue;
            String session;
            try {
                RepositoryName name = RepositoryName.of(new String(driver.readSmall(marker, 1024), StandardCharsets.UTF_8));
                session = StorageLayout.uploadStartedAt(name, StorageLayout.fileName(marker));
            } catch (NoSuchFileException gone) {
                continue;
            } catch (RuntimeException unreadable) {
                session = null;
            }
            if (session == null || driver.statFile(session).isEmpty()) driver.delete(marker);
        }
    }

    private Optional<Instant> startedAt(RepositoryName name, String id, String session) throws IOException {
        try {
            String text = new String(driver.readSmall(StorageLayout.uploadStartedAt(name, id), 256),
                    StandardCharsets.UTF_8).trim();
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (NoSuchFileException | RuntimeException unreadable) {
            return driver.stat(session).map(FileInfo::modified);
        }
    }
}
