package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.FileTooLargeException;

/**
 * Part of {@link StorageDriverContract}: small files, stat, move, delete, list and the path rules.
 * Extend {@code StorageDriverContract}, not this class.
 */
public abstract class FileOperationsContract extends ContractSupport {

    /** How far a modification time may stray from the test's clock: coarse filesystem clocks, servers. */
    private static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

    @Test
    void hasAShortLowerCaseName() {
        assertTrue(driver.name().matches("[a-z0-9-]{1,32}"), "name: " + driver.name());
    }

    // ---- small files

    @Test
    void writesAndReadsSmallFile() throws IOException {
        driver.writeSmall(path("link"), utf8("sha256:abc"));

        assertArrayEquals(utf8("sha256:abc"), driver.readSmall(path("link"), 1024));
    }

    @Test
    void writeSmallReplacesTheWholeFile() throws IOException {
        driver.writeSmall(path("file"), randomBytes(10_000, 1));
        driver.writeSmall(path("file"), utf8("short"));

        assertArrayEquals(utf8("short"), driver.readSmall(path("file"), 10_000));
        assertEquals(5, driver.stat(path("file")).orElseThrow().size());
    }

    @Test
    void writesAndReadsEmptyFile() throws IOException {
        driver.writeSmall(path("empty"), new byte[0]);

        assertArrayEquals(new byte[0], driver.readSmall(path("empty"), 0));
        assertEquals(0, driver.stat(path("empty")).orElseThrow().size());
    }

    @Test
    void keepsItsOwnCopyOfTheBytes() throws IOException {
        byte[] written = utf8("original");
        driver.writeSmall(path("file"), written);
        written[0] = 'X';
        byte[] read = driver.readSmall(path("file"), 100);
        read[1] = 'Y';

        assertArrayEquals(utf8("original"), driver.readSmall(path("file"), 100));
    }

    @Test
    void readSmallAcceptsFileOfExactlyMaxBytes() throws IOException {
        byte[] bytes = randomBytes(4096, 2);
        driver.writeSmall(path("file"), bytes);

        assertArrayEquals(bytes, driver.readSmall(path("file"), 4096));
    }

    @Test
    void readSmallRefusesFileLargerThanMaxBytes() throws IOException {
        byte[] bytes = randomBytes(4097, 3);
        driver.writeSmall(path("file"), bytes);

        assertThrows(FileTooLargeException.class, () -> driver.readSmall(path("file"), 4096));
        assertThrows(FileTooLargeException.class, () -> driver.readSmall(path("file"), 0));
        assertArrayEquals(bytes, driver.readSmall(path("file"), 4097), "the file is intact");
    }

    @Test
    void readSmallOfMissingFileThrowsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> driver.readSmall(path("missing"), 100));
        assertThrows(NoSuchFileException.class, () -> driver.readSmall(path("missing/below"), 100));
    }

    @Test
    void readingADirectoryAsAFileThrowsNoSuchFile() throws IOException {
        driver.writeSmall(path("dir/file"), utf8("x"));

        assertThrows(NoSuchFileException.class, () -> driver.readSmall(path("dir"), 100));
        assertThrows(NoSuchFileException.class, () -> driver.open(path("dir"), 0).close());
    }

    @Test
    void writeSmallCreatesParentDirectories() throws IOException {
        driver.writeSmall(path("a/b/c/file"), utf8("deep"));

        assertArrayEquals(utf8("deep"), driver.readSmall(path("a/b/c/file"), 100));
        for (String dir : List.of("a", "a/b", "a/b/c")) {
            assertTrue(driver.stat(path(dir)).orElseThrow().isDirectory(), dir + " is a directory");
        }
    }

    @Test
    void pathsBelowAFileAreMissing() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        assertEquals(Optional.empty(), driver.stat(path("file/below")));
        assertThrows(NoSuchFileException.class, () -> driver.readSmall(path("file/below"), 10));
        assertThrows(NoSuchFileException.class, () -> driver.open(path("file/below"), 0).close());
        assertEquals(List.of(), driver.list(path("file/below")));
        driver.delete(path("file/below"));
        assertArrayEquals(utf8("x"), driver.readSmall(path("file"), 10));
    }

    // ---- stat

    @Test
    void statsFileSizeAndModificationTime() throws IOException {
        Instant before = Instant.now();
        driver.writeSmall(path("file"), randomBytes(1234, 4));
        Instant after = Instant.now();

        FileInfo info = driver.stat(path("file")).orElseThrow();
        assertEquals(path("file"), info.path());
        assertEquals(1234, info.size());
        assertFalse(info.isDirectory());
        assertFalse(info.modified().isBefore(before.minus(CLOCK_TOLERANCE)), "modified " + info.modified());
        assertFalse(info.modified().isAfter(after.plus(CLOCK_TOLERANCE)), "modified " + info.modified());
    }

    @Test
    void statsDirectoryAsDirectoryOfSizeZero() throws IOException {
        driver.writeSmall(path("dir/file"), randomBytes(100, 5));

        FileInfo info = driver.stat(path("dir")).orElseThrow();
        assertEquals(path("dir"), info.path());
        assertTrue(info.isDirectory());
        assertEquals(0, info.size());
    }

    @Test
    void statOfMissingPathIsEmpty() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        assertEquals(Optional.empty(), driver.stat(path("missing")));
        assertEquals(Optional.empty(), driver.stat(path("missing/below")));
        assertEquals(Optional.empty(), driver.stat(path("fil")), "a prefix of a name is not a file");
    }

    @Test
    void statFileSeesFilesOnly() throws IOException {
        driver.writeSmall(path("dir/file"), randomBytes(321, 7));

        FileInfo info = driver.statFile(path("dir/file")).orElseThrow();
        assertEquals(path("dir/file"), info.path());
        assertEquals(321, info.size());
        assertFalse(info.isDirectory());
        assertEquals(driver.stat(path("dir/file")), Optional.of(info), "the same answer as stat for a file");
        assertEquals(Optional.empty(), driver.statFile(path("dir")), "a directory is not a file");
        assertEquals(Optional.empty(), driver.statFile(path("missing")));
        assertEquals(Optional.empty(), driver.statFile(path("dir/file/below")));
        assertEquals(Optional.empty(), driver.statFile(path("dir/fil")), "a prefix of a name is not a file");
    }

    // ---- move

    @Test
    void movesFileIntoNewDirectory() throws IOException {
        byte[] bytes = randomBytes(3000, 6);
        driver.writeSmall(path("uploads/1/data"), bytes);

        driver.move(path("uploads/1/data"), path("blobs/ab/abcd/data"));

        assertArrayEquals(bytes, driver.readSmall(path("blobs/ab/abcd/data"), 3000));
        assertEquals(Optional.empty(), driver.stat(path("uploads/1/data")));
    }

    @Test
    void moveReplacesExistingTarget() throws IOException {
        driver.writeSmall(path("from"), utf8("new bytes"));
        driver.writeSmall(path("to"), randomBytes(5000, 7));

        driver.move(path("from"), path("to"));

        assertArrayEquals(utf8("new bytes"), driver.readSmall(path("to"), 5000));
        assertEquals(Optional.empty(), driver.stat(path("from")));
    }

    @Test
    void moveOfMissingFileThrowsNoSuchFileAndKeepsTarget() throws IOException {
        driver.writeSmall(path("to"), utf8("kept"));

        assertThrows(NoSuchFileException.class, () -> driver.move(path("missing"), path("to")));
        assertArrayEquals(utf8("kept"), driver.readSmall(path("to"), 100));
    }

    // ---- delete

    @Test
    void deletesFileAndKeepsSiblings() throws IOException {
        driver.writeSmall(path("dir/gone"), utf8("1"));
        driver.writeSmall(path("dir/kept"), utf8("2"));

        driver.delete(path("dir/gone"));

        assertEquals(Optional.empty(), driver.stat(path("dir/gone")));
        assertEquals(List.of(path("dir/kept")), driver.list(path("dir")));
    }

    @Test
    void deletesDirectoryRecursively() throws IOException {
        driver.writeSmall(path("repo/_layers/sha256/aa/link"), utf8("1"));
        driver.writeSmall(path("repo/_layers/sha256/bb/link"), utf8("2"));
        driver.writeSmall(path("repo/_uploads/u1/data"), utf8("3"));
        driver.writeSmall(path("other/file"), utf8("4"));

        driver.delete(path("repo"));

        assertEquals(Optional.empty(), driver.stat(path("repo")));
        assertEquals(Optional.empty(), driver.stat(path("repo/_layers/sha256/aa/link")));
        assertEquals(List.of(), driver.list(path("repo")));
        assertEquals(List.of(path("other")), driver.list(TCK_ROOT));
    }

    @Test
    void deleteOfMissingPathIsFine() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        driver.delete(path("missing"));
        driver.delete(path("missing/deeper/still"));

        assertArrayEquals(utf8("x"), driver.readSmall(path("file"), 10), "nothing else was touched");
    }

    @Test
    void deleteSparesSiblingsSharingANamePrefix() throws IOException {
        for (String name : List.of("ab/file", "ab-c", "ab.d", "abc/file", "ab0")) driver.writeSmall(path(name), utf8(name));

        driver.delete(path("ab"));

        assertEquals(sorted(path("ab-c"), path("ab.d"), path("abc"), path("ab0")), sorted(driver.list(TCK_ROOT)));
    }

    @Test
    void deletingTheLastFileLeavesNoEmptyDirectories() throws IOException {
        driver.writeSmall(path("a/b/c/file"), utf8("x"));
        driver.writeSmall(path("kept"), utf8("y"));

        driver.delete(path("a/b/c/file"));

        assertEquals(Optional.empty(), driver.stat(path("a")), "directories exist only while they hold files");
        assertEquals(List.of(path("kept")), driver.list(TCK_ROOT));
    }

    @Test
    void refusesToDeleteTheRoot() {
        assertThrows(IllegalArgumentException.class, () -> driver.delete("/"));
    }

    // ---- list

    @Test
    void listsDirectChildrenAsFullPaths() throws IOException {
        driver.writeSmall(path("dir/file1"), utf8("1"));
        driver.writeSmall(path("dir/file2"), utf8("2"));
        driver.writeSmall(path("dir/sub/a"), utf8("3"));
        driver.writeSmall(path("dir/sub/b"), utf8("4"));
        driver.writeSmall(path("dir/sub/deeper/c"), utf8("5"));

        List<String> children = driver.list(path("dir"));

        assertEquals(sorted(path("dir/file1"), path("dir/file2"), path("dir/sub")), sorted(children),
                "files and directories once each, no grandchildren");
        assertEquals(sorted(path("dir/sub/a"), path("dir/sub/b"), path("dir/sub/deeper")), sorted(driver.list(path("dir/sub"))));
    }

    @Test
    void listOfRootNamesTopLevelDirectories() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        assertEquals(List.of("/docker"), driver.list("/"));
        assertEquals(List.of(TCK_ROOT), driver.list("/docker"));
    }

    @Test
    void listOfMissingDirectoryIsEmpty() throws IOException {
        assertEquals(List.of(), driver.list(path("missing")));
        assertEquals(List.of(), driver.list(path("missing/deeper")));
    }

    @Test
    void listOfAFileIsEmpty() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        assertEquals(List.of(), driver.list(path("file")));
    }

    @Test
    void listSkipsSiblingsSharingANamePrefix() throws IOException {
        driver.writeSmall(path("a/inside"), utf8("1"));
        driver.writeSmall(path("ab/file"), utf8("2"));
        driver.writeSmall(path("a-b"), utf8("3"));

        assertEquals(List.of(path("a/inside")), driver.list(path("a")));
    }

    // ---- paths

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"relative", "relative/file", "/a/../b", "/..", "/a/./b", "/a//b", "/a/", "/a\\b", "/a\u0000b"})
    void rejectsInvalidPathsInEveryOperation(String invalid) {
        String valid = path("file");
        List<ThrowingCall> calls = List.of(
                () -> driver.stat(invalid),
                () -> driver.readSmall(invalid, 10),
                () -> driver.writeSmall(invalid, new byte[1]),
                () -> driver.touch(invalid),
                () -> driver.open(invalid, 0),
                () -> driver.append(invalid),
                () -> driver.move(invalid, valid),
                () -> driver.move(valid, invalid),
                () -> driver.delete(invalid),
                () -> driver.list(invalid),
                () -> driver.redirect(invalid));
        for (ThrowingCall call : calls) assertThrows(IllegalArgumentException.class, call::run);
    }

    @Test
    void rejectsNegativeOffset() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        assertThrows(IllegalArgumentException.class, () -> driver.open(path("file"), -1));
    }

    @Test
    void handlesPathsWithManySegments() throws IOException {
        String deep = IntStream.range(0, 60).mapToObj(i -> "s" + i).collect(Collectors.joining("/"));
        byte[] bytes = randomBytes(777, 8);
        driver.writeSmall(path(deep + "/file"), bytes);
        appendAndCommit(path(deep + "/appended"), bytes, bytes);

        assertArrayEquals(bytes, driver.readSmall(path(deep + "/file"), 1000));
        assertArrayEquals(concat(bytes, bytes), read(path(deep + "/appended"), 0));
        assertEquals(sorted(path(deep + "/appended"), path(deep + "/file")), sorted(driver.list(path(deep))));
        assertTrue(driver.stat(path("s0/s1/s2")).orElseThrow().isDirectory());

        driver.delete(path("s0"));
        assertEquals(Optional.empty(), driver.stat(path(deep + "/file")));
    }

    @Test
    void storesTheNamesOfTheRegistryLayout() throws IOException {
        String hex = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";
        List<String> files = List.of(
                "registry/v2/blobs/sha256/a3/" + hex + "/data",
                "registry/v2/repositories/team/app-1/_layers/sha256/" + hex + "/link",
                "registry/v2/repositories/team/app-1/_manifests/tags/v1.2_rc-3/current/link",
                "registry/v2/repositories/team/app-1/_uploads/3f2c-41d9/startedat");
        for (String file : files) driver.writeSmall(path(file), utf8(file));

        for (String file : files) assertArrayEquals(utf8(file), driver.readSmall(path(file), 1000), file);
        assertEquals(sorted(path("registry/v2/repositories/team/app-1/_layers"),
                        path("registry/v2/repositories/team/app-1/_manifests"),
                        path("registry/v2/repositories/team/app-1/_uploads")),
                sorted(driver.list(path("registry/v2/repositories/team/app-1"))));
    }

    /** A driver call that may throw anything. */
    @FunctionalInterface
    protected interface ThrowingCall {
        void run() throws Exception;
    }

    protected static List<String> sorted(String... paths) {
        return sorted(List.of(paths));
    }

    protected static List<String> sorted(List<String> paths) {
        List<String> copy = new ArrayList<>(paths);
        Collections.sort(copy);
        return copy;
    }
}
