package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.storage.AppendWriter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the shared contract does not reach: object keys as the reference registry names them,
 * listings past S3's 1,000-key pages, and the writer state kept in the bucket.
 */
class S3DriverTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private S3DriverSettings settings;
    private S3Driver driver;
    private S3Client raw;

    @BeforeEach
    void open() {
        settings = S3.settings();
        driver = S3Driver.create(settings);
        raw = driver.client(); // the driver's own client, closed with it
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private List<String> rawKeys() {
        List<String> keys = new ArrayList<>();
        raw.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .contents().forEach((S3Object o) -> keys.add(o.key()));
        return keys;
    }

    @Test
    void keysAreTheRootDirectoryFollowedByThePath() throws Exception {
        String path = "/docker/registry/v2/repositories/team/app/_manifests/tags/v1/current/link";
        driver.writeSmall(path, "sha256:abc".getBytes(StandardCharsets.UTF_8));

        String key = settings.rootDirectory() + path;
        assertEquals(List.of(key), rawKeys());
        assertEquals("sha256:abc", raw.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asUtf8String());
    }

    @Test
    void listAndDeletePagePastAThousandKeys() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> writes = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 1_010; i++) {
            // Files and directories both, so both contents and common prefixes span pages.
            String child = i % 2 == 0 ? "/docker/many/file-" + i : "/docker/many/dir-" + i;
            String file = i % 2 == 0 ? child : child + "/link";
            expected.add(child);
            writes.add(pool.submit(() -> {
                driver.writeSmall(file, new byte[] {1});
                return null;
            }));
        }
        for (Future<?> write : writes) write.get(2, TimeUnit.MINUTES);
        pool.shutdown();

        List<String> listed = driver.list("/docker/many");
        assertEquals(1_010, listed.size());
        assertEquals(expected, new HashSet<>(listed));
        driver.delete("/docker/many");
        assertEquals(List.of(), driver.list("/docker/many"));
        assertEquals(List.of(), rawKeys());
    }

    @Test
    void writerStateIsKeptBesideTheFileHiddenAndCleanedUp() throws Exception {
        byte[] part = new byte[S3DriverSettings.MIN_CHUNK_SIZE + 1];
        new Random(5).nextBytes(part);
        String file = "/docker/registry/v2/repositories/r/_uploads/u1/data";

        // A writer past one part has a multipart upload open and its state in the bucket...
        AppendWriter crashed = driver.append(file);
        crashed.write(ByteBuffer.wrap(part));
        String stateKey = settings.rootDirectory() + "/docker/registry/v2/repositories/r/_uploads/u1/.data.s3-writer.json";
        assertTrue(rawKeys().contains(stateKey), "state beside the file: " + rawKeys());
        String state = raw.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(stateKey)).asUtf8String();
        // Its upload id is all another node needs to abort it (aborting removes every part).
        String uploadId = raw.listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .uploads().get(0).uploadId();
        assertEquals("{\"uploadId\":\"" + uploadId + "\"}", state);
        // ...which listings and stat never show.
        assertEquals(List.of(), driver.list("/docker/registry/v2/repositories/r/_uploads/u1"));
        assertEquals(Optional.empty(), driver.stat(file));

        // The node dies without closing its writer; another node deletes the upload directory.
        try (S3Driver other = S3Driver.create(settings)) {
            other.delete("/docker/registry/v2/repositories/r/_uploads/u1");
        }
        assertEquals(List.of(), rawKeys(), "state and data gone");
        assertTrue(raw.listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .uploads().isEmpty(), "the orphaned upload was aborted");
    }

    @Test
    void committedLargeFileContinuesOnAnotherDriverByServerSideCopy() throws Exception {
        byte[] first = new byte[S3DriverSettings.MIN_CHUNK_SIZE + 3];
        byte[] second = new byte[1234];
        new Random(6).nextBytes(first);
        new Random(7).nextBytes(second);
        String file = "/docker/big/data";
        try (AppendWriter writer = driver.append(file)) {
            writer.write(ByteBuffer.wrap(first));
            writer.commit();
        }
        try (S3Driver other = S3Driver.create(settings); AppendWriter writer = other.append(file)) {
            assertEquals(first.length, writer.size());
            writer.write(ByteBuffer.wrap(second));
            writer.commit();
        }
        byte[] both = driver.open(file, 0).asStream().readAllBytes();
        assertEquals(first.length + second.length, both.length);
        assertArrayEquals(second, java.util.Arrays.copyOfRange(both, first.length, both.length));
        assertEquals(List.of(settings.rootDirectory() + file), rawKeys(), "no state left once committed");
    }
}
