package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.stevedore.storage.SmallFile;

/**
 * {@link FilesystemDriver#writeSmallInOrder}: a few small files made durable in two rounds of
 * syncs side by side, instead of two or three syncs each, one after another. A manifest push
 * (revision link, tag link, tag history link) waited for eight syncs in a row.
 *
 * <ol>
 *   <li>Each file is written under a hidden name, a {@code .tmp-} file beside its target or, when
 *       its directory is missing, in a {@code .tmp-} tree that holds the missing directories (as
 *       {@link StagedTrees} builds it); files whose missing directories start at the same place
 *       share one tree. Then all of them, and the new directories, are synced side by side. A
 *       caller that has just renamed a file these files point at ({@link
 *       FilesystemDriver#moveThenWriteInOrder}: an upload's blob, then its repository link) adds
 *       the directories of that rename to this round, so the files become visible only once the
 *       rename is durable, at the cost of no round of its own.
 *   <li>In order: one rename per file or tree makes it visible, so readers see the files in the
 *       order given. No sync in between: every rename is in the filesystem's journal, which
 *       ext4 and XFS commit in order, so after a power loss they too keep a prefix. (Not so on a
 *       file system without a journal, such as ext4 made without one: there a power loss before
 *       step 3 ends may keep a later rename and lose an earlier one. That push has not answered,
 *       so nothing acknowledged is lost; a tag may be left naming a revision that is gone.)
 *   <li>The directories that got new names are synced side by side; then everything is durable.
 * </ol>
 *
 * Whatever cannot go this way (a tree whose files are not next to each other in the order, a
 * directory another writer made or a delete removed meanwhile) is written with
 * {@link FilesystemDriver#writeSmall}, in its turn.
 *
 * <p>Before all this, a file that this process already made durable with the same bytes, and
 * that is still that same file, is left as it is ({@link DurableFiles} argues why that keeps
 * "returned = durable"): it is visible already, so the order holds, and it costs one stat instead
 * of a hidden file, two syncs and a rename. A manifest pushed again does not rewrite its revision
 * link, nor, under the same tag, anything at all.
 */
final class OrderedWrites {
    /** Shared by every driver of this process: they may serve the same root. */
    private static final DurableFiles DURABLE = new DurableFiles();

    private final FilesystemDriver driver;
    private final Path root;
    private final Executor executor;

    OrderedWrites(FilesystemDriver driver, Path root, Executor executor) {
        this.driver = driver;
        this.root = root;
        this.executor = executor;
    }

    /** One rename that makes files visible: a temporary file or a staged tree onto its place. */
    static final class Step {
        final List<SmallFile> files = new ArrayList<>();
        final List<Path> targets = new ArrayList<>();
        /** Of each hidden file, for {@link DurableFiles#record}; {@code null} where not kept. */
        final List<DurableFiles.Mark> marks = new ArrayList<>();
        /** The missing directory a staged tree becomes; {@code null} for a temporary file. */
        final Path top;
        Path hidden;
        boolean visible;

        Step(Path top) {
            this.top = top;
        }

        /** Where the rename lands: the directory that must be synced afterwards. */
        Path directory() {
            return top != null ? top.getParent() : targets.get(0).getParent();
        }

        Path destination() {
            return top != null ? top : targets.get(0);
        }
    }

    /**
     * Writes {@code allFiles} at {@code allTargets}, in order. {@code before}: directories whose
     * new entries (a rename the caller just made) must be durable before any of the files becomes
     * visible; they are synced in the first round, with the files.
     */
    void write(List<SmallFile> allFiles, List<Path> allTargets, List<Path> before) throws IOException {
        List<SmallFile> files = new ArrayList<>(allFiles.size());
        List<Path> targets = new ArrayList<>(allTargets.size());
        for (int i = 0; i < allFiles.size(); i++) {
            if (DURABLE.holds(allTargets.get(i), allFiles.get(i).bytes())) continue; // durable as it is
            files.add(allFiles.get(i));
            targets.add(allTargets.get(i));
        }
        List<Step> steps = files.isEmpty() ? List.of() : plan(files, targets);
        if (steps == null || steps.isEmpty()) {
            all(before, Directories::sync);
            for (SmallFile file : files) driver.writeSmall(file.path(), file.bytes());
            return;
        }
        try {
            // Written without a sync first, then every file and new directory synced side by side:
            // the syncs then share the filesystem's journal commits instead of queueing for them.
            List<Path> unsynced = new ArrayList<>(before);
            Set<Path> hiddenFiles = new java.util.HashSet<>();
            for (Step step : steps) stage(step, unsynced, hiddenFiles);
            all(unsynced, path -> {
                if (hiddenFiles.contains(path)) syncFile(path);
                else Directories.sync(path); // best effort, as after any rename
            });
            Set<Path> directories = new LinkedHashSet<>();
            List<Step> renamed = new ArrayList<>(steps.size());
            for (Step step : steps) {
                if (step.hidden != null && rename(step)) {
                    directories.add(step.directory());
                    renamed.add(step);
                } else {
                    for (SmallFile file : step.files) driver.writeSmall(file.path(), file.bytes()); // durable itself
                }
                step.visible = true;
            }
            all(new ArrayList<>(directories), Directories::sync);
            for (Step step : renamed) {
                for (int i = 0; i < step.targets.size(); i++) DURABLE.record(step.targets.get(i), step.marks.get(i));
            }
        } finally {
            for (Step step : steps) if (!step.visible) discard(step);
        }
    }

    /**
     * Steps in the order of the files, or {@code null} when a staged tree would hold files that
     * are not next to each other in that order (it would show a later one before an earlier one),
     * or when the storage root itself is missing.
     */
    List<Step> plan(List<SmallFile> files, List<Path> targets) {
        Map<Path, Step> trees = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path target = targets.get(i);
            Step step;
            if (Files.isDirectory(target.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                step = new Step(null);
                steps.add(step);
            } else {
                Path top = missingTop(target);
                if (top == null) return null;
                step = trees.get(top);
                if (step == null) {
                    step = new Step(top);
                    trees.put(top, step);
                    steps.add(step);
                } else if (steps.get(steps.size() - 1) != step) {
                    return null;
                }
            }
            step.files.add(files.get(i));
            step.targets.add(target);
        }
        return steps;
    }

    /**
     * The topmost missing directory above {@code target}, whose parent is missing (the parent
     * itself when only it is missing, as for the revision link of a new manifest), or
     * {@code null} when even the storage root is missing (the first write).
     */
    private Path missingTop(Path target) {
        Path top = target.getParent();
        if (top.equals(root) || !top.startsWith(root)) return null;
        while (!top.getParent().equals(root) && top.getParent().startsWith(root)
                && !Files.isDirectory(top.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            top = top.getParent();
        }
        return Files.isDirectory(top.getParent(), LinkOption.NOFOLLOW_LINKS) ? top : null;
    }

    /**
     * Writes the step's files under a hidden name, adding what needs a sync to {@code unsynced}
     * and the files among it to {@code hiddenFiles}; leaves {@code hidden} null if it cannot.
     */
    private static void stage(Step step, List<Path> unsynced, Set<Path> hiddenFiles) throws IOException {
        if (step.top == null) {
            Path target = step.targets.get(0);
            Path temp = target.resolveSibling(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
            try {
                write(temp, step.files.get(0).bytes());
            } catch (java.nio.file.NoSuchFileException e) {
                return; // the directory went meanwhile: writeSmall copes
            }
            step.hidden = temp;
            unsynced.add(temp);
            hiddenFiles.add(temp);
            step.marks.add(DurableFiles.markOf(temp, step.files.get(0).bytes()));
            return;
        }
        Path staging = step.top.resolveSibling(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
        Set<Path> created = new LinkedHashSet<>();
        try {
            for (int i = 0; i < step.files.size(); i++) {
                Path staged = staging.resolve(step.top.relativize(step.targets.get(i)));
                createStagedDirectories(staging, staged.getParent(), created);
                write(staged, step.files.get(i).bytes());
                created.add(staged);
                hiddenFiles.add(staged);
                step.marks.add(DurableFiles.markOf(staged, step.files.get(i).bytes()));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            deleteTree(staging);
            return; // the base went meanwhile: writeSmall copes
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        step.hidden = staging;
        unsynced.addAll(created);
    }

    /**
     * Makes {@code directory} and the directories between it and {@code staging}, top down, adding
     * each to {@code created}. The staging tree is this writer's own and new, so what it holds is
     * exactly {@code created}: no probing, no failed {@code mkdir} (as {@link Files#createDirectories}
     * makes, with an exception, for every directory whose parent is missing).
     */
    private static void createStagedDirectories(Path staging, Path directory, Set<Path> created) throws IOException {
        if (created.contains(directory)) return;
        if (!directory.equals(staging)) createStagedDirectories(staging, directory.getParent(), created);
        Files.createDirectory(directory);
        created.add(directory);
    }

    /** Makes the step visible; false when its place is taken or gone, and the caller writes it plainly. */
    private static boolean rename(Step step) throws IOException {
        try {
            if (step.top == null) {
                Files.move(step.hidden, step.destination(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(step.hidden, step.destination(), StandardCopyOption.ATOMIC_MOVE);
            }
            return true;
        } catch (FileSystemException e) {
            // A tree: another writer made the directory first. A file: a delete took its directory
            // (and this temporary file with it).
            discard(step);
            return false;
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, CREATE_NEW, WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Syncs a hidden file's bytes (and size). */
    private static void syncFile(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (java.nio.file.NoSuchFileException e) {
            // A delete took its directory: the rename that would show these bytes fails for
            // want of its source, and the file is written plainly then.
        }
    }

    /** Forgets what {@link DurableFiles} knows of {@code start} and below: a delete took it. */
    static void forgetDurable(Path start) {
        DURABLE.forgetUnder(start);
    }

    private static void discard(Step step) {
        if (step.hidden == null) return;
        if (step.top == null) {
            try {
                Files.deleteIfExists(step.hidden);
            } catch (IOException ignored) {
                // hidden debris at worst, swept later
            }
        } else {
            deleteTree(step.hidden);
        }
        step.hidden = null;
    }

    private static void deleteTree(Path tree) {
        try (var paths = Files.walk(tree)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // hidden debris at worst, swept later
                }
            });
        } catch (IOException ignored) {
            // nothing was created
        }
    }

    @FunctionalInterface
    private interface IoTask<T> {
        void run(T item) throws IOException;
    }

    /** Runs {@code task} on every item, the first on this thread and the rest side by side. */
    private <T> void all(List<T> items, IoTask<T> task) throws IOException {
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (T item : items.subList(Math.min(1, items.size()), items.size())) {
            others.add(CompletableFuture.runAsync(() -> {
                try {
                    task.run(item);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, executor));
        }
        Throwable failure = null;
        try {
            if (!items.isEmpty()) task.run(items.get(0));
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<Void> other : others) {
            try {
                other.join();
            } catch (CompletionException e) {
                if (failure == null) failure = e.getCause();
            }
        }
        if (failure instanceof RuntimeException runtime) throw runtime;
        if (failure instanceof Error error) throw error;
        if (failure != null) throw failure instanceof IOException io ? io : new IOException(failure);
    }
}
