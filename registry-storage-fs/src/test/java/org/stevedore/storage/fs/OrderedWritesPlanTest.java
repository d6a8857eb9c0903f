package org.stevedore.storage.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.SmallFile;

/**
 * How {@link OrderedWrites} lays out the files of a push: every file either beside its existing
 * target or in a staged tree, so that all of them are synced in one round. A file that falls
 * out of the plan is written on its own with its own syncs, one after another.
 */
class OrderedWritesPlanTest {
    private static final String HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";
    private static final String REPO = "/docker/registry/v2/repositories/a";
    private static final String DATA = "/docker/registry/v2/blobs/sha256/a3/" + HEX + "/data";
    private static final String REVISION = REPO + "/_manifests/revisions/sha256/" + HEX + "/link";
    private static final String TAG = REPO + "/_manifests/tags/t/current/link";
    private static final String HISTORY = REPO + "/_manifests/tags/t/index/sha256/" + HEX + "/link";
    private static final byte[] LINK = ("sha256:" + HEX).getBytes(UTF_8);

    @TempDir
    Path root;

    @Test
    void aNewManifestInAKnownRepositoryIsThreeStagedTrees() throws IOException {
        // Other manifests made every directory down to the digest's own: only that one is missing.
        Files.createDirectories(root.resolve("docker/registry/v2/blobs/sha256/a3"));
        Files.createDirectories(root.resolve("docker/registry/v2/repositories/a/_manifests/revisions/sha256"));
        Files.createDirectories(root.resolve("docker/registry/v2/repositories/a/_manifests/tags"));

        List<OrderedWrites.Step> steps = plan(DATA, REVISION, TAG, HISTORY);

        assertNotNull(steps);
        assertEquals(3, steps.size());
        assertEquals(file(DATA).getParent(), steps.get(0).top, "the digest's directory, staged with its data");
        assertEquals(file(REVISION).getParent(), steps.get(1).top, "the revision's directory, staged with its link");
        assertEquals(root.resolve("docker/registry/v2/repositories/a/_manifests/tags/t"), steps.get(2).top);
        assertEquals(2, steps.get(2).targets.size(), "both tag links in one tree");
    }

    @Test
    void aNewTagOfAKnownManifestIsOneStagedTree() throws IOException {
        Files.createDirectories(file(REVISION).getParent());
        Files.createDirectories(root.resolve("docker/registry/v2/repositories/a/_manifests/tags"));

        List<OrderedWrites.Step> steps = plan(REVISION, TAG, HISTORY);

        assertNotNull(steps);
        assertEquals(2, steps.size());
        assertNull(steps.get(0).top, "the revision link is replaced beside itself");
        assertEquals(root.resolve("docker/registry/v2/repositories/a/_manifests/tags/t"), steps.get(1).top);
    }

    @Test
    void aNewManifestUnderAnExistingTagStagesOnlyItsHistoryEntry() throws IOException {
        Files.createDirectories(file(TAG).getParent());
        Files.createDirectories(root.resolve("docker/registry/v2/repositories/a/_manifests/tags/t/index/sha256"));

        List<OrderedWrites.Step> steps = plan(TAG, HISTORY);

        assertNotNull(steps);
        assertNull(steps.get(0).top);
        assertEquals(file(HISTORY).getParent(), steps.get(1).top);
    }

    @Test
    void theFilesOfAPlanAreWrittenWhereTheyBelong() throws IOException {
        Files.createDirectories(root.resolve("docker/registry/v2/blobs/sha256/a3"));
        Files.createDirectories(root.resolve("docker/registry/v2/repositories/a/_manifests/revisions/sha256"));
        Files.createDirectories(root.resolve("docker/registry/v2/repositories/a/_manifests/tags"));
        FilesystemDriver driver = FilesystemDriver.at(root);

        driver.writeSmallInOrder(List.of(new SmallFile(DATA, "{}".getBytes(UTF_8)), new SmallFile(REVISION, LINK),
                new SmallFile(TAG, LINK), new SmallFile(HISTORY, LINK)));

        assertEquals("{}", Files.readString(file(DATA)));
        for (String link : List.of(REVISION, TAG, HISTORY)) assertEquals("sha256:" + HEX, Files.readString(file(link)));
        try (var paths = Files.walk(root)) {
            assertEquals(0, paths.filter(p -> p.getFileName().toString().startsWith(".tmp-")).count(), "no staging left");
        }
    }

    private List<OrderedWrites.Step> plan(String... paths) {
        FilesystemDriver driver = FilesystemDriver.at(root);
        OrderedWrites writes = new OrderedWrites(driver, root, Runnable::run);
        List<SmallFile> files = java.util.Arrays.stream(paths).map(p -> new SmallFile(p, LINK)).toList();
        return writes.plan(files, java.util.Arrays.stream(paths).map(this::file).toList());
    }

    private Path file(String path) {
        return root.resolve(path.substring(1));
    }
}
