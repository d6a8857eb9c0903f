package org.stevedore.storage.fs;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;

/**
 * The committed-size record of an in-place append ({@link CommittedSizes}): made once by a rename,
 * then updated in place by every commit, in a form a torn read cannot pass for a size.
 */
class CommittedSizeRecordTest {
    @TempDir
    Path root;

    @Test
    void laterCommitsUpdateTheRecordInPlaceAndEachCountsOnlyCommittedBytes() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        append(driver, "/up/data", "first;");  // a new file: renamed into place, no record
        append(driver, "/up/data", "second;"); // the record is made before the first in-place byte
        Path record = root.resolve("up/.committed-data");
        Object inode = Files.getAttribute(record, "unix:ino");
        assertEquals(record(13), Files.readString(record, US_ASCII));

        append(driver, "/up/data", "third;");
        assertEquals(inode, Files.getAttribute(record, "unix:ino"), "updated in place, not replaced");
        assertEquals(record(19), Files.readString(record, US_ASCII));
        try (AppendWriter uncommitted = driver.append("/up/data")) {
            uncommitted.write(ByteBuffer.wrap("never acknowledged".getBytes(UTF_8)));
            assertEquals(19, driver.stat("/up/data").orElseThrow().size(), "stat counts committed bytes only");
        }
        assertEquals("first;second;third;", read(driver, "/up/data"));
    }

    @Test
    void aRecordOfTheOlderFormIsReadAndThenReplacedByTheNewOne() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        append(driver, "/up/data", "first;");
        Files.write(root.resolve("up/data"), "left by a kill".getBytes(UTF_8), java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(root.resolve("up/.committed-data"), "6", US_ASCII); // as the older code wrote it

        assertEquals(6, driver.stat("/up/data").orElseThrow().size());
        append(driver, "/up/data", "second;");
        assertEquals("first;second;", read(driver, "/up/data"));
        assertEquals(record(13), Files.readString(root.resolve("up/.committed-data"), US_ASCII));
    }

    @Test
    void aRecordWhoseTwoCopiesDisagreeIsNotTrusted() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        append(driver, "/up/data", "first;");
        append(driver, "/up/data", "second;");
        String torn = record(13).substring(0, CommittedSizes.DIGITS + 1) + record(6).substring(CommittedSizes.DIGITS + 1);
        Files.writeString(root.resolve("up/.committed-data"), torn, US_ASCII);

        IOException e = assertThrows(IOException.class, () -> driver.stat("/up/data"));
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
    }

    private static String record(long size) {
        String digits = String.format("%020d", size);
        return digits + "/" + digits;
    }

    private static void append(FilesystemDriver driver, String path, String text) throws IOException {
        try (AppendWriter writer = driver.append(path)) {
            writer.write(ByteBuffer.wrap(text.getBytes(UTF_8)));
            writer.commit();
        }
    }

    private static String read(FilesystemDriver driver, String path) throws IOException {
        try (Content content = driver.open(path, 0)) {
            return new String(content.asStream().readNBytes((int) content.length()), UTF_8);
        }
    }
}
