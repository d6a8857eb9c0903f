package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.storage.AppendWriter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Appends past one part keep one multipart upload open across commits and writers (each byte is
 * sent once), the committed size shows in stat at once, and the first read completes the upload.
 */
class S3PendingUploadTest {
    private static final int PART = S3DriverSettings.MIN_CHUNK_SIZE; // the extension's chunksize

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private S3DriverSettings settings;
    private S3Driver driver;
    private S3Client raw;

    @BeforeEach
    void open() {
        settings = S3.settings();
        driver = S3Driver.create(settings);
        raw = driver.client();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void oneUploadStaysOpenAcrossCommitsAndTheFirstReadCompletesIt() throws Exception {
        byte[] bytes = new byte[2 * PART + 1000];
        new Random(11).nextBytes(bytes);
        String file = "/docker/registry/v2/repositories/r/_uploads/u9/data";
        // One part and a tail of 100, a tail of 2,000, then a second part and a tail of 1,000.
        int[] cuts = {0, PART + 100, PART + 2000, bytes.length};
        String uploadId = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            try (S3Driver node = S3Driver.create(settings); AppendWriter writer = node.append(file)) {
                assertEquals(cuts[i], writer.size());
                writer.write(ByteBuffer.wrap(bytes, cuts[i], cuts[i + 1] - cuts[i]));
                writer.commit();
            }
            assertEquals(cuts[i + 1], driver.stat(file).orElseThrow().size(), "stat sees the commit");
            List<MultipartUpload> open = uploads();
            assertEquals(1, open.size(), "one upload, kept open: " + open);
            if (uploadId == null) uploadId = open.get(0).uploadId();
            assertEquals(uploadId, open.get(0).uploadId(), "the same upload continues");
        }

        // A writer that sends a part but does not commit leaves the committed file as it was.
        try (AppendWriter abandoned = driver.append(file)) {
            abandoned.write(ByteBuffer.wrap(new byte[PART + 5]));
        }
        assertEquals(bytes.length, driver.stat(file).orElseThrow().size());

        assertArrayEquals(Arrays.copyOfRange(bytes, 7, 107), driver.open(file, 7).asStream().readNBytes(100));
        assertEquals(List.of(), uploads(), "the read completed the upload");
        assertArrayEquals(bytes, driver.open(file, 0).asStream().readAllBytes());
        assertEquals(List.of(settings.rootDirectory() + file), rawKeys(), "state and tail removed");
    }

    @Test
    void deletingTheDirectoryAbortsAPendingUpload() throws Exception {
        String dir = "/docker/registry/v2/repositories/r/_uploads/u8";
        try (AppendWriter writer = driver.append(dir + "/data")) {
            writer.write(ByteBuffer.wrap(new byte[PART + 10]));
            writer.commit();
        }
        assertEquals(1, uploads().size());
        driver.delete(dir);
        assertEquals(List.of(), uploads());
        assertEquals(List.of(), rawKeys());
    }

    private List<MultipartUpload> uploads() {
        return raw.listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/")).uploads();
    }

    private List<String> rawKeys() {
        List<String> keys = new ArrayList<>();
        raw.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .contents().forEach((S3Object o) -> keys.add(o.key()));
        return keys;
    }
}
