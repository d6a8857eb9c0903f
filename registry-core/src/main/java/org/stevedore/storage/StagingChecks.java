package org.stevedore.storage;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * The two checks of a {@link HiddenWriter} that stages its bytes through an {@link AppendWriter}
 * (the store's default, and the filesystem's own): the staging file is unused when the write
 * starts, and holds the announced size when it commits. Each closes the staging writer before it
 * throws, so the caller has nothing left to release.
 */
public final class StagingChecks {
    private StagingChecks() {
    }

    /** @throws WriteConflictException when another writer already put bytes in the staging file */
    public static void requireUnused(StorageDriver driver, AppendWriter staged, String stagingPath) throws IOException {
        if (staged.size() == 0) return;
        staged.close();
        throw new WriteConflictException(driver.name() + ": the staging file " + stagingPath + " already holds "
                + "bytes; another writer is using it");
    }

    /** Fails a commit short of (or past) the size announced at the start: nothing appears at {@code path}. */
    public static void requireAnnouncedSize(StorageDriver driver, AppendWriter staged, OptionalLong announced,
                                            String path) throws IOException {
        if (announced.isEmpty() || announced.getAsLong() == staged.size()) return;
        staged.close();
        throw new IOException(driver.name() + ": " + staged.size() + " bytes written to " + path + " where "
                + announced.getAsLong() + " were announced");
    }
}
