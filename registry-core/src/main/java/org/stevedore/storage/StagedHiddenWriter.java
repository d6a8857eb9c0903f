package org.stevedore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@link StorageDriver#writeHidden}'s default: the bytes go to the staging file through an
 * {@link AppendWriter} and move to the path on commit. On a filesystem that is a file beside the
 * upload renamed into place, which is as cheap as a hidden write gets there.
 */
final class StagedHiddenWriter implements HiddenWriter {
    private final StorageDriver driver;
    private final String path;
    private final String stagingPath;
    private final AppendWriter staged;
    private final OptionalLong announced;

    StagedHiddenWriter(StorageDriver driver, String path, String stagingPath, OptionalLong announced) throws IOException {
        this.announced = announced;
        this.driver = driver;
        this.path = path;
        this.stagingPath = stagingPath;
        this.staged = driver.append(stagingPath);
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
        commitStaged();
        driver.move(stagingPath, path);
    }

    /** The move and the files' writes in one call, so that a store can sync them side by side. */
    @Override
    public void commitThenWriteInOrder(List<SmallFile> files) throws IOException {
        commitStaged();
        driver.moveThenWriteInOrder(stagingPath, path, files);
    }

    private void commitStaged() throws IOException {
        StagingChecks.requireAnnouncedSize(driver, staged, announced, path);
        staged.commit();
    }

    @Override
    public void close() throws IOException {
        staged.close();
    }
}
