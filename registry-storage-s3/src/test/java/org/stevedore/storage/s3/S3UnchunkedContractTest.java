package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.tck.StorageDriverContract;

/**
 * The shared storage contract on the S3 driver with {@code chunkedencoding: false}: request bodies
 * then go out plain (with Content-Length, the checksum as a header) instead of aws-chunked, as
 * some S3-compatible stores need. Plus the multipart paths the contract's small files do not
 * reach: uploads whose parts are partly sent and partly copied server side.
 */
class S3UnchunkedContractTest extends StorageDriverContract {
    private static final int MIB = 1024 * 1024;

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private S3Driver s3;

    @Override
    protected StorageDriver newDriver() {
        s3 = S3Driver.create(S3.settingsWith(Map.of("chunkedencoding", false)));
        return s3;
    }

    @Override
    protected void closeDriver(StorageDriver driver) {
        s3.close();
    }

    @Test
    void runsWithChunkedEncodingOff() {
        assertFalse(s3.settings().chunkedEncoding());
    }

    private void append(String path, byte[] bytes) throws Exception {
        try (AppendWriter writer = driver.append(path)) {
            writer.write(ByteBuffer.wrap(bytes));
            writer.commit();
        }
    }

    private String sha256Of(String path) throws Exception {
        try (Content content = driver.open(path, 0); InputStream in = content.asStream()) {
            return sha256(in).sha256();
        }
    }

    @Test
    void pendingUploadWithACopiedTailCompletesOnMove() throws Exception {
        // Part 1 sent (with its checksum), the rest kept as a tail and copied as part 2 on the move.
        byte[] bytes = randomBytes(6 * MIB + 7, 41);
        append(path("up/data"), bytes);
        driver.move(path("up/data"), path("blob/data"));
        assertEquals(bytes.length, driver.stat(path("blob/data")).orElseThrow().size());
        assertEquals(sha256(bytes), sha256Of(path("blob/data")));
    }

    @Test
    void appendToACompletedLargeFileCopiesItsHeadAndCompletes() throws Exception {
        // The first read completes the upload; the next append copies that object server side as
        // the first part (no checksum from S3Proxy) ahead of a sent part (with one).
        byte[] first = randomBytes(6 * MIB, 42);
        byte[] second = randomBytes(5 * MIB + 3, 43);
        append(path("file"), first);
        assertEquals(sha256(first), sha256Of(path("file")));
        append(path("file"), second);
        assertEquals(sha256(concat(first, second)), sha256Of(path("file")));
    }
}
