package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.FileInfo;

/**
 * Part of {@link StorageDriverContract}: {@code listDirectoriesWithChildStartingWith}, the
 * deep listing behind the repository catalog, and {@code statInEachChild}, behind the web UI's
 * tag push times, whether a driver inherits the defaults or answers them itself. Extend {@code StorageDriverContract}, not this class.
 */
public abstract class ListingContract extends FileOperationsContract {

    private List<String> deep(String directory) throws IOException {
        Map<String, Set<String>> found = driver.listDirectoriesWithChildStartingWith(directory, "_");
        List<String> paths = new ArrayList<>(found.keySet());
        Collections.sort(paths);
        return paths;
    }

    @Test
    void findsDirectoriesWithMarkedChildrenAtAnyDepthWithoutLookingInsideThem() throws IOException {
        driver.writeSmall(path("repos/app/_layers/sha256/a/link"), utf8("1"));
        driver.writeSmall(path("repos/team/_manifests/tags/v1/current/link"), utf8("2"));
        driver.writeSmall(path("repos/team/app/_layers/sha256/b/link"), utf8("3"));
        driver.writeSmall(path("repos/team/deep/er/one/_uploads/u/data"), utf8("4"));
        driver.writeSmall(path("repos/team/app/_manifests/x/_hidden/y"), utf8("5")); // inside a marked child: not looked at
        driver.writeSmall(path("repos/plain/file"), utf8("6"));
        driver.writeSmall(path("repos/_root-internal/file"), utf8("7")); // marks the directory itself, which is excluded
        driver.writeSmall(path("repos/notmarked_/x"), utf8("8")); // '_' not at the start of a name

        assertEquals(List.of(path("repos/app"), path("repos/team"), path("repos/team/app"), path("repos/team/deep/er/one")),
                deep(path("repos")));
        // The marked children's names, where the driver names them at all.
        Map<String, Set<String>> found = driver.listDirectoriesWithChildStartingWith(path("repos"), "_");
        Map<String, Set<String>> names = Map.of(path("repos/app"), Set.of("_layers"), path("repos/team"), Set.of("_manifests"),
                path("repos/team/app"), Set.of("_layers", "_manifests"), path("repos/team/deep/er/one"), Set.of("_uploads"));
        found.forEach((directory, children) -> assertTrue(children.isEmpty() || children.equals(names.get(directory)),
                directory + ": " + children));
        assertEquals(List.of(path("repos/team/app"), path("repos/team/deep/er/one")),
                deep(path("repos/team")),
                "the directory asked about is not itself part of the answer");
    }

    @Test
    void deepListingOfAMissingDirectoryOrAFileIsEmpty() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        assertEquals(List.of(), deep(path("missing")));
        assertEquals(List.of(), deep(path("file")));
    }

    @Test
    void deepListingPagesPastOneThousandDirectories() throws IOException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            String name = String.format("many/r%04d", i);
            driver.writeSmall(path(name + "/_layers/link"), utf8("l"));
            expected.add(path(name));
        }

        assertEquals(expected, deep(path("many")));
    }

    @Test
    void pagesThroughChildrenInNameOrderWhateverTheirKind() throws IOException {
        // Directories whose names extend another's with a character below '/' are where stores
        // that sort keys (S3 lists "v1.2/" before "v1/") differ from name order.
        List<String> names = List.of("v1", "v1.2", "v1.2.3", "v1-rc", "v10", "v1_x", "a", "a.b", "c", "_built");
        for (String name : names) {
            if (name.startsWith("a") || name.equals("c")) driver.writeSmall(path("paged/" + name), utf8(name));
            else driver.writeSmall(path("paged/" + name + "/current/link"), utf8(name));
        }
        List<String> expected = names.stream().sorted().map(name -> path("paged/" + name)).toList();
        for (int limit = 1; limit <= names.size() + 1; limit++) {
            List<String> seen = new ArrayList<>();
            String after = "";
            for (List<String> page; !(page = driver.listPage(path("paged"), after, limit)).isEmpty(); ) {
                assertTrue(page.size() <= limit, "page of " + page.size() + " for limit " + limit);
                seen.addAll(page);
                after = page.get(page.size() - 1).substring(page.get(page.size() - 1).lastIndexOf('/') + 1);
            }
            assertEquals(expected, seen, "pages of " + limit);
        }
        assertEquals(expected.subList(3, 5), driver.listPage(path("paged"), "a.c", 2), "after a name that is not there");
    }

    @Test
    void pagedListingOfAMissingDirectoryIsEmptyAndLargePagesSpanRequests() throws IOException {
        assertEquals(List.of(), driver.listPage(path("nothing"), "", 10));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1003; i++) {
            String name = String.format("f%04d", i);
            driver.writeSmall(path("big/" + name), utf8(name));
            expected.add(path("big/" + name));
        }
        assertEquals(expected.subList(0, 1001), driver.listPage(path("big"), "", 1001));
        assertEquals(expected.subList(1001, 1003), driver.listPage(path("big"), "f1000", 1000));
        assertThrows(IllegalArgumentException.class, () -> driver.listPage(path("big"), "", 0));
        assertThrows(IllegalArgumentException.class, () -> driver.listPage(path("big"), "a/b", 1));
    }

    @Test
    void deepListingRefusesAPrefixWithASlash() {
        assertThrows(IllegalArgumentException.class, () -> driver.listDirectoriesWithChildStartingWith(path("x"), "a/b"));
        assertThrows(IllegalArgumentException.class, () -> driver.listDirectoriesWithChildStartingWith("relative", "_"));
    }

    /** Path to (size, modified) of each file found, as a sorted map; a duplicate fails. */
    private Map<String, FileInfo> inEachChild(String directory, String relativePath) throws IOException {
        Map<String, FileInfo> byPath = new TreeMap<>();
        for (FileInfo file : driver.statInEachChild(directory, relativePath)) {
            assertTrue(!file.isDirectory(), file + " is no file");
            assertEquals(null, byPath.put(file.path(), file), "listed twice: " + file.path());
        }
        return byPath;
    }

    @Test
    void statsTheFileAtARelativePathInEachChildWithTheSizeAndTimeStatGives() throws IOException {
        driver.writeSmall(path("tags/v1/current/link"), utf8("sha256:1"));
        driver.writeSmall(path("tags/v1/index/sha256/a/link"), utf8("sha256:1"));
        driver.writeSmall(path("tags/v2/current/link"), utf8("sha256:22"));
        driver.writeSmall(path("tags/v3/index/sha256/b/link"), utf8("sha256:3")); // no current link
        driver.writeSmall(path("tags/moved-from"), utf8("three"));
        driver.move(path("tags/moved-from"), path("tags/v4/current/link"));
        driver.writeSmall(path("tags/v5/deeper/current/link"), utf8("x")); // not at the relative path
        driver.writeSmall(path("tags/current/link"), utf8("x")); // the directory's own, not a child's
        driver.writeSmall(path("tagsibling/v6/current/link"), utf8("x")); // shares the name's prefix only

        Map<String, FileInfo> found = inEachChild(path("tags"), "current/link");
        assertEquals(List.of(path("tags/v1/current/link"), path("tags/v2/current/link"), path("tags/v4/current/link")),
                new ArrayList<>(found.keySet()));
        for (FileInfo file : found.values()) {
            FileInfo stat = driver.stat(file.path()).orElseThrow();
            assertEquals(stat.size(), file.size(), file.path());
            assertEquals(stat.modified(), file.modified(), file.path());
        }
        assertEquals(9, found.get(path("tags/v2/current/link")).size());
        assertEquals(List.of(path("tags/v1/index/sha256/a/link")),
                new ArrayList<>(inEachChild(path("tags/v1"), "sha256/a/link").keySet()));
    }

    @Test
    void statInEachChildOfAMissingDirectoryOrAFileIsEmpty() throws IOException {
        driver.writeSmall(path("file"), utf8("x"));

        assertEquals(Map.of(), inEachChild(path("missing"), "current/link"));
        assertEquals(Map.of(), inEachChild(path("file"), "current/link"));
        assertThrows(IllegalArgumentException.class, () -> driver.statInEachChild(path("x"), "/current/link"));
        assertThrows(IllegalArgumentException.class, () -> driver.statInEachChild(path("x"), "../link"));
    }

    @Test
    void statInEachChildPagesPastOneThousandKeysAndLeavesDeletedOnesOut() throws IOException {
        for (int i = 0; i < 1001; i++) {
            String tag = String.format("links/t%04d/", i);
            driver.writeSmall(path(tag + "index/sha256/a/link"), utf8("d"));
            driver.writeSmall(path(tag + "current/link"), utf8("d"));
        }
        driver.delete(path("links/t0500"));

        Map<String, FileInfo> found = inEachChild(path("links"), "current/link");
        assertEquals(1000, found.size());
        assertTrue(found.containsKey(path("links/t1000/current/link")) && !found.containsKey(path("links/t0500/current/link")));
    }
}
