package org.stevedore.storage.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.SmallFile;

/**
 * A file written again with the bytes it holds: left in place only when this process made that
 * very file durable (see {@link DurableFiles}); rewritten whenever anything else may have put it
 * there. The inode number tells which happened.
 */
class DurableRewriteTest {
    private static final String HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";
    private static final String REVISION = "/docker/registry/v2/repositories/a/_manifests/revisions/sha256/" + HEX + "/link";
    private static final String TAG = "/docker/registry/v2/repositories/a/_manifests/tags/t/current/link";
    private static final byte[] LINK = ("sha256:" + HEX).getBytes(UTF_8);

    @TempDir
    Path root;

    @Test
    void aFileThisDriverMadeDurableIsNotRewrittenWithTheSameBytes() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK), new SmallFile(TAG, LINK)));
        long revision = inode(REVISION);
        long tag = inode(TAG);

        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK), new SmallFile(TAG, LINK)));

        assertEquals(revision, inode(REVISION));
        assertEquals(tag, inode(TAG));
        assertEquals(2, regularFiles().size(), "no temporary leftovers");
    }

    @Test
    void otherBytesAreWrittenAsUsual() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmallInOrder(List.of(new SmallFile(TAG, LINK)));
        long before = inode(TAG);
        byte[] other = ("sha256:" + "b".repeat(64)).getBytes(UTF_8);

        driver.writeSmallInOrder(List.of(new SmallFile(TAG, other)));

        assertNotEquals(before, inode(TAG));
        assertEquals("sha256:" + "b".repeat(64), Files.readString(file(TAG)));
    }

    @Test
    void theSameBytesPutThereByAnotherWriterAreRewritten() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        Files.createDirectories(file(REVISION).getParent());
        Files.write(file(REVISION), LINK); // as the reference registry writes: in place, no sync
        long foreign = inode(REVISION);

        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK)));

        assertNotEquals(foreign, inode(REVISION));
    }

    @Test
    void aDurableFileChangedInPlaceSinceIsRewritten() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK)));
        long written = inode(REVISION);
        Files.write(file(REVISION), LINK); // same inode, same bytes, written again by someone else
        Files.setLastModifiedTime(file(REVISION), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK)));

        assertNotEquals(written, inode(REVISION));
    }

    @Test
    void aDeletedFileIsWrittenAgain() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK)));
        driver.delete("/docker/registry/v2/repositories/a/_manifests/revisions/sha256/" + HEX);

        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK)));

        assertEquals("sha256:" + HEX, Files.readString(file(REVISION)));
    }

    @Test
    void aFileReplacedBehindTheDriversBackIsWrittenAgain() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK)));
        Path moved = file(REVISION).resolveSibling("elsewhere");
        Files.move(file(REVISION), moved); // another process took it away
        Files.copy(moved, file(REVISION)); // and put a copy back, not synced

        long copy = inode(REVISION);
        driver.writeSmallInOrder(List.of(new SmallFile(REVISION, LINK)));

        assertNotEquals(copy, inode(REVISION));
        assertEquals("sha256:" + HEX, Files.readString(file(REVISION)));
    }

    private Path file(String path) {
        return root.resolve(path.substring(1));
    }

    private long inode(String path) throws IOException {
        return ((Number) Files.getAttribute(file(path), "unix:ino")).longValue();
    }

    private List<Path> regularFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
