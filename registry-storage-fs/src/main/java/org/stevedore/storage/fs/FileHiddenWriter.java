package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StagingChecks;

/**
 * {@link FilesystemDriver#writeHidden}: the bytes go to the staging path's writer (a temporary
 * file beside it, with the writer's syncs ahead), and the commit renames that temporary file
 * straight to the target. The store's default would first commit it as the staging file (a
 * rename, and a sync of every directory up to the root, which an upload session needs for bytes
 * it keeps) only to move it away at once: one round of syncs for nothing. The rename to the
 * target is synced as a {@link FilesystemDriver#move}'s is, or, with files to write after it, in
 * the first round of their ordered write ({@link FilesystemDriver#moveThenWriteInOrder}).
 */
final class FileHiddenWriter implements HiddenWriter {
    private final FilesystemDriver driver;
    private final String path;
    private final String stagingPath;
    private final FileAppendWriter staged;
    private final OptionalLong announced;
    /** The synced temporary file between the seal and its rename; deleted by close if still here. */
    private Path sealed;

    FileHiddenWriter(FilesystemDriver driver, String path, String stagingPath, FileAppendWriter staged,
                     OptionalLong announced) throws IOException {
        this.driver = driver;
        this.path = path;
        this.stagingPath = stagingPath;
        this.staged = staged;
        this.announced = announced;
        StagingChecks.requireUnused(driver, staged, stagingPath);
    }

    @Override
    public long size() {
        return staged.size();
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        staged.write(source);
    }

    @Override
    public void commit() throws IOException {
        driver.moveFile(stagingPath, seal(), path);
        sealed = null;
    }

    @Override
    public void commitThenWriteInOrder(List<SmallFile> files) throws IOException {
        driver.moveFileThenWriteInOrder(stagingPath, seal(), path, files);
        sealed = null;
    }

    private Path seal() throws IOException {
        StagingChecks.requireAnnouncedSize(driver, staged, announced, path);
        sealed = staged.seal();
        return sealed;
    }

    @Override
    public void close() throws IOException {
        staged.close();
        Path left = sealed;
        sealed = null;
        // A rename that failed leaves the synced temporary file, hidden: remove it. (An in-place
        // writer sealed the staging file itself, which the session's end removes.)
        if (left != null && left.getFileName().toString().startsWith(FilesystemDriver.TEMP_PREFIX)) {
            Files.deleteIfExists(left);
        }
    }
}
