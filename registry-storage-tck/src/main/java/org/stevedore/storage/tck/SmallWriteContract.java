package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.SmallFile;

/**
 * The small-file writes beyond {@code writeSmall}: several files in one ordered call, a write
 * that need not be durable yet, and the empty use markers of {@code touch}. Part of the chain
 * that makes up {@link StorageDriverContract}.
 */
public abstract class SmallWriteContract extends StreamingContract {

    /** How far a store's clock (S3's, to the second) may be from this one's. */
    private static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

    @Test
    void writeSmallInOrderWritesEveryFile() throws Exception {
        driver.writeSmall(path("old/file"), utf8("old"));
        List<SmallFile> files = List.of(
                new SmallFile(path("new/tree/one"), utf8("1")), // a new tree holding two files
                new SmallFile(path("new/tree/deeper/two"), utf8("2")),
                new SmallFile(path("old/file"), utf8("replaced")),
                new SmallFile(path("split/a"), utf8("a")), // a new tree whose files are not adjacent
                new SmallFile(path("old/other"), new byte[0]),
                new SmallFile(path("split/b"), utf8("b")));
        driver.writeSmallInOrder(files);
        for (SmallFile file : files) assertArrayEquals(file.bytes(), driver.readSmall(file.path(), 1024), file.path());
        assertEquals(sorted(path("new/tree/one"), path("new/tree/deeper")), sorted(driver.list(path("new/tree"))));
        assertEquals(sorted(path("new"), path("old"), path("split")), sorted(driver.list(TCK_ROOT)));
    }

    @Test
    void moveThenWriteInOrderMovesTheFileAndWritesEveryFile() throws Exception {
        driver.writeSmall(path("upload/data"), utf8("bytes"));
        driver.writeSmall(path("links/old"), utf8("old"));
        List<SmallFile> links = List.of(new SmallFile(path("links/new/deeper/link"), utf8("to blob")),
                new SmallFile(path("links/old"), utf8("replaced")));
        driver.moveThenWriteInOrder(path("upload/data"), path("blobs/ab/abcd/data"), links);
        assertArrayEquals(utf8("bytes"), driver.readSmall(path("blobs/ab/abcd/data"), 100));
        assertTrue(driver.statFile(path("upload/data")).isEmpty(), "moved, not copied");
        for (SmallFile link : links) assertArrayEquals(link.bytes(), driver.readSmall(link.path(), 100), link.path());
        assertEquals(List.of(path("blobs/ab/abcd/data")), driver.list(path("blobs/ab/abcd")), "no temporary file is listed");
    }

    @Test
    void moveThenWriteInOrderWritesNothingWhenTheSourceIsMissing() throws Exception {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> driver.moveThenWriteInOrder(path("gone/data"),
                path("target/data"), List.of(new SmallFile(path("links/link"), utf8("to nothing")))));
        assertTrue(driver.statFile(path("links/link")).isEmpty());
        assertTrue(driver.statFile(path("target/data")).isEmpty());
    }

    @Test
    void anUnsyncedWriteIsSeenAsAWholeFileInNewDirectoriesOrOverAnOldFile() throws Exception {
        String deep = path("scratch/new/deeper/file");
        driver.writeSmall(path("scratch/old"), utf8("synced before"));
        driver.writeSmallUnsynced(deep, utf8("first"));
        driver.writeSmallUnsynced(path("scratch/old"), utf8("replaced"));
        assertArrayEquals(utf8("first"), driver.readSmall(deep, 100));
        assertArrayEquals(utf8("replaced"), driver.readSmall(path("scratch/old"), 100));
        driver.writeSmallUnsynced(deep, utf8("second, longer"));
        assertArrayEquals(utf8("second, longer"), driver.readSmall(deep, 100));
        assertEquals(14, driver.statFile(deep).orElseThrow().size());
        assertEquals(sorted(path("scratch/new"), path("scratch/old")), sorted(driver.list(path("scratch"))));
        assertEquals(List.of(deep), driver.list(path("scratch/new/deeper")), "no temporary file is listed");
    }

    @Test
    void touchLeavesAnEmptyFileModifiedNowWhereverItIsCalled() throws Exception {
        driver.writeSmall(path("markers/old"), new byte[0]);
        for (String marker : List.of(path("markers/new/deeper/one"), path("markers/old"))) {
            Instant before = Instant.now().minus(CLOCK_TOLERANCE);
            driver.touch(marker);
            Instant after = Instant.now().plus(CLOCK_TOLERANCE);
            FileInfo info = driver.statFile(marker).orElseThrow(() -> new AssertionError("no file at " + marker));
            assertEquals(0, info.size(), marker);
            assertTrue(!info.modified().isBefore(before) && !info.modified().isAfter(after), marker + " " + info.modified());
        }
        assertEquals(sorted(path("markers/new"), path("markers/old")), sorted(driver.list(path("markers"))));
    }
}
