package org.stevedore.service;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Mark and sweep over distribution's storage layout, with distribution's result: every blob
 * that no manifest of any repository references is deleted; a manifest keeps its own bytes, its
 * config, its layers and (for an index) its children. With {@code deleteUntagged}, manifests no
 * tag reaches are deleted first; unlike distribution 2.8 (which deletes the children of a tagged
 * multi-platform index), a manifest is reached from a tag through index children and through
 * referrers (a manifest whose {@code subject} is reached is reached). Progress lines use
 * distribution's wording ({@code "<repo>: marking manifest <digest>"},
 * {@code "blob eligible for deletion: <digest>"}), so outputs compare line by line.
 *
 * <h2>Why online collection is safe while pushes, mounts and deletes continue</h2>
 *
 * <p>The danger is a blob that looks unreferenced to the mark phase but is, at the same moment,
 * being made referenced: uploaded, mounted, or named by a manifest being pushed. Distribution's
 * collector deletes such blobs, which is why it must run with the registry stopped. Here every
 * operation that makes a blob referenced first records a <em>use</em> of it, the
 * {@code lastused} file beside its {@code data} (distribution's tools ignore the file): an
 * upload when it publishes, a mount when it links, a manifest push for every blob and child
 * manifest it names and for its own bytes. It records the use and checks that the blob exists
 * while holding the blob's lock shared ({@link BlobLocks}), and only then acknowledges.
 *
 * <p>The collector notes its start time T0 before marking. A blob outside the mark set is
 * deleted only if its last use (the newer of its {@code data} and {@code lastused} times) is
 * older than T0 minus the grace period, checked again just before the delete while holding the
 * blob's lock exclusively. Consider any operation that acknowledges a reference to blob B:
 * <ul>
 * <li>If it finished before T0, the mark phase (which starts after T0 and reads storage, where
 *     the acknowledged link or manifest already is) sees the reference and marks B.</li>
 * <li>If it was still running at T0, it recorded its use of B at most one request duration
 *     before T0, hence after T0 minus the grace period (the grace period must exceed the longest
 *     request, minutes by default), or after T0: B's last use is too recent and B is kept.</li>
 * <li>The use is recorded and existence checked in one critical section, and the collector's
 *     re-check and delete is another on the same lock: either the delete comes first and the
 *     operation finds B missing and fails (nothing acknowledged, the client uploads again), or
 *     the use comes first and the re-check sees it.</li>
 * </ul>
 * A deleted manifest or blob link only removes references, so deletes racing with collection
 * can only make the collector keep a blob one run longer. Manifests are never deleted by online
 * collection ({@code deleteUntagged} is an offline option): a manifest is reached by clients by
 * digest, and no tag is a safe signal that nobody still needs it.
 *
 * <p>The locks are per process. Against other nodes over the same storage, the collector never
 * deletes bytes it has not first set aside ({@code data} moved to {@code data.collecting}, where
 * no reader or writer looks), and it checks the last use again after that move. A writer on
 * another node records its use before it checks that the bytes exist, and acknowledges only if
 * they do: if its check came before the move, its use came before the re-check, which sees it
 * and moves the bytes back; if its check came after the move, it finds no bytes and fails (an
 * upload stores them again). Readers elsewhere may see such a blob missing for the moment it is
 * set aside: it was unreferenced and unused for the whole grace period. A collector killed in
 * between leaves the bytes set aside; the next collection puts them back before it decides again.
 * Running collections on several nodes at once is safe, but wasted work: online collection takes
 * a {@link CollectionLease} first, so that one runs at a time across the fleet.
 *
 * <p>A use is recorded with {@link org.stevedore.storage.StorageDriver#touch}, which a store may
 * leave unsynced: the marker matters only while an operation that wrote it is still running, and
 * a crash ends those (unacknowledged, their clients retry). A reference acknowledged before a
 * crash is durable where the mark phase reads it, in the manifest's links; what a power loss may
 * take back is the last seconds of uses of blobs that no manifest names yet, which then count
 * from their previous use.
 *
 * <p>Over a remote store a node writes a blob's use at most once per
 * {@link PresenceCache#USE_WINDOW} (two seconds): later uses within it are kept in memory, where
 * this process's collector sees them, and are covered in storage by the use written before.
 * So the grace period must exceed the longest push by those two seconds as well.
 */
public final class GarbageCollector {
    /** The least age of a storage driver's temporary file before a run removes it. */
    public static final Duration TEMP_GRACE = Duration.ofHours(1);
    private final StorageDriver driver;
    private final BlobService blobs;
    private final int maxManifestBytes;

    GarbageCollector(StorageDriver driver, BlobService blobs, int maxManifestBytes) {
        this.driver = driver;
        this.blobs = blobs;
        this.maxManifestBytes = maxManifestBytes;
    }

    /**
     * What to do.
     *
     * @param dryRun         report only, delete nothing
     * @param deleteUntagged also delete manifests no tag reaches (offline only)
     * @param gracePeriod    keep unreferenced blobs used more recently than this before the start;
     *                       zero for offline collection
     */
    public record Options(boolean dryRun, boolean deleteUntagged, Duration gracePeriod) {
        public Options {
            if (gracePeriod.isNegative()) throw new IllegalArgumentException("negative grace period");
        }
    }

    /** What a run found and did; deleted counts are "eligible" counts on a dry run. */
    public record Report(int manifestsKept, int manifestsDeleted, int blobsKept, int blobsDeleted,
                         long bytesFreed, Set<Digest> deletedBlobs) {
        public Report {
            deletedBlobs = Set.copyOf(deletedBlobs);
        }

        /** One line for logs and the command's last line. */
        public String summary() {
            return manifestsKept + " manifests kept, " + manifestsDeleted + " deleted; " + blobsKept
                    + " blobs kept, " + blobsDeleted + " deleted; " + bytesFreed + " bytes freed";
        }
    }

    /** Called between the steps of a collection (each manifest read, each blob listing and decision); stops it by throwing. */
    @FunctionalInterface
    public interface Checkpoint {
        void reached() throws IOException;
    }

    /** Runs one collection; {@code progress} receives distribution-style lines as it goes. */
    public Report run(Options options, Consumer<String> progress) throws IOException {
        return run(options, progress, () -> { });
    }

    /**
     * Runs one collection, passing {@code checkpoint} between steps (a lease holder renews there);
     * an exception from it ends the run where it is, which leaves storage as a killed run does.
     */
    public Report run(Options options, Consumer<String> progress, Checkpoint checkpoint) throws IOException {
        Instant start = Instant.now();
        Instant usedAfter = start.minus(options.gracePeriod());
        Set<Digest> marked = new HashSet<>();
        List<ManifestMark.Doomed> doomed = new ArrayList<>();
        int manifestsKept = 0;
        for (RepositoryName name : RepositoryContents.repositories(driver)) {
            checkpoint.reached();
            ManifestMark mark = new ManifestMark(driver, name, maxManifestBytes, progress);
            manifestsKept += mark.markInto(marked, options.deleteUntagged(), checkpoint);
            doomed.addAll(mark.doomed());
        }
        if (!options.dryRun()) {
            for (ManifestMark.Doomed manifest : doomed) deleteManifest(manifest);
        }
        int blobsKept = 0;
        long bytesFreed = 0;
        Set<Digest> deleted = new HashSet<>();
        for (String blobDirectory : blobDirectories(checkpoint)) {
            checkpoint.reached();
            Optional<Digest> digest = digestOf(blobDirectory);
            if (digest.isEmpty()) continue;
            Optional<FileInfo> data = driver.statFile(StorageLayout.blobData(digest.get()));
            if (data.isEmpty()) {
                if (!options.dryRun()) recoverWithoutData(digest.get(), usedAfter, progress);
                continue;
            }
            if (data.get().isDirectory()) continue;
            if (marked.contains(digest.get())) {
                blobsKept++;
                continue;
            }
            boolean gone = options.dryRun() ? usedBefore(digest.get(), usedAfter) : collect(digest.get(), usedAfter);
            if (gone) {
                progress.accept("blob eligible for deletion: " + digest.get());
                deleted.add(digest.get());
                bytesFreed += data.get().size();
            } else {
                blobsKept++;
            }
        }
        if (!options.dryRun()) {
            // Temporary files of killed writers: kept at least TEMP_GRACE, so that no write in
            // progress (on this node or another) loses its file, whatever the blob grace period.
            Duration tempGrace = options.gracePeriod().compareTo(TEMP_GRACE) > 0 ? options.gracePeriod() : TEMP_GRACE;
            int swept = driver.sweepTemporaryFiles(start.minus(tempGrace));
            if (swept > 0) progress.accept(swept + " stale temporary files removed");
        }
        Report report = new Report(manifestsKept, doomed.size(), blobsKept, deleted.size(), bytesFreed, deleted);
        progress.accept("\n" + marked.size() + " blobs marked, " + deleted.size() + " blobs and " + doomed.size()
                + " manifests eligible for deletion");
        return report;
    }

    /**
     * Deletes an unmarked blob unless it was used after {@code usedAfter}. The bytes are first set
     * aside, out of every reader's and writer's sight, and the use is checked again: a use another
     * node recorded before that moment is seen now, and one recorded later finds no bytes and is
     * not acknowledged (see {@link BlobService#useIfStored}). Only then is anything deleted; a used
     * blob is put back. The local lock spares this process's own writers even that moment.
     */
    private boolean collect(Digest digest, Instant usedAfter) throws IOException {
        String data = StorageLayout.blobData(digest);
        String setAside = StorageLayout.blobSetAside(digest);
        return blobs.locks().exclusive(digest, () -> {
            if (!usedBefore(digest, usedAfter)) return false;
            try {
                driver.move(data, setAside);
            } catch (NoSuchFileException goneMeanwhile) {
                return false; // another collector's: it decides
            }
            if (!usedBefore(digest, usedAfter)) { // used meanwhile on another node, or uploaded again
                try {
                    driver.move(setAside, data);
                } catch (NoSuchFileException restoredMeanwhile) {
                    // another collector put them back first
                }
                return false;
            }
            driver.delete(setAside);
            driver.delete(StorageLayout.blobLastUsed(digest));
            blobs.presence().forgetStored(digest);
            return true;
        });
    }

    /**
     * A blob directory without bytes: a collection that died between setting the bytes aside and
     * deciding left them there, and they go back (the next run decides again); a use marker
     * written for bytes that were gone goes once it is older than the grace period.
     */
    private void recoverWithoutData(Digest digest, Instant usedAfter, Consumer<String> progress) throws IOException {
        String data = StorageLayout.blobData(digest);
        String setAside = StorageLayout.blobSetAside(digest);
        blobs.locks().exclusive(digest, () -> {
            if (driver.statFile(setAside).isPresent()) {
                if (driver.statFile(data).isEmpty()) {
                    driver.move(setAside, data);
                    progress.accept("blob restored from an interrupted collection: " + digest);
                } else {
                    driver.delete(setAside);
                }
            } else if (driver.statFile(data).isEmpty() && usedBefore(digest, usedAfter)) {
                driver.delete(StorageLayout.blobLastUsed(digest));
            }
            return null;
        });
    }

    /** Whether the blob's last use (data written or use recorded) is before {@code instant}. */
    private boolean usedBefore(Digest digest, Instant instant) throws IOException {
        if (blobs.presence().usedSince(digest, instant)) return false; // a use this node did not write again
        for (String file : List.of(StorageLayout.blobData(digest), StorageLayout.blobLastUsed(digest))) {
            Optional<FileInfo> info = driver.statFile(file);
            if (info.isPresent() && !info.get().modified().isBefore(instant)) return false;
        }
        return true;
    }

    /** As distribution's vacuum: tag history entries and the revision go; plus its referrers entry. */
    private void deleteManifest(ManifestMark.Doomed manifest) throws IOException {
        RepositoryName name = manifest.repository();
        Digest digest = manifest.digest();
        for (var tag : RepositoryContents.tags(driver, name)) {
            driver.delete(StorageLayout.tagIndexLink(name, tag, digest).replaceFirst("/link$", ""));
        }
        manifest.subject().ifPresent(subject -> {
            try {
                driver.delete(StorageLayout.referrerDirectory(name, subject, digest));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        driver.delete(StorageLayout.revisionDirectory(name, digest));
    }

    private List<String> blobDirectories(Checkpoint checkpoint) throws IOException {
        List<String> directories = new ArrayList<>();
        for (String algorithm : driver.list(StorageLayout.BLOBS)) {
            for (String prefix : driver.list(algorithm)) {
                checkpoint.reached();
                directories.addAll(driver.list(prefix));
            }
        }
        return directories;
    }

    private static Optional<Digest> digestOf(String blobDirectory) {
        String[] parts = blobDirectory.substring(StorageLayout.BLOBS.length() + 1).split("/");
        if (parts.length != 3) return Optional.empty();
        try {
            return Optional.of(new Digest(parts[0], parts[2]));
        } catch (RuntimeException notADigest) {
            return Optional.empty();
        }
    }

    static byte[] readManifest(StorageDriver driver, Digest digest, int maxBytes) throws IOException {
        try {
            return driver.readSmall(StorageLayout.blobData(digest), maxBytes);
        } catch (NoSuchFileException e) {
            throw new IOException("manifest " + digest + " has a revision link but no bytes", e);
        }
    }
}
