package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.CheckedDriver;
import org.stevedore.storage.Content;
import org.stevedore.storage.StorageDriver;

/**
 * The fixture and helpers under {@link StorageDriverContract}. Driver modules extend
 * {@code StorageDriverContract}, not this class; it exists only to keep each part of the suite a
 * readable size.
 *
 * <p>Before each test the driver from {@link #newDriver()} is wrapped in {@link CheckedDriver}, as
 * the registry wraps every driver, so path checks are part of what is tested. Tests write only
 * below {@link #TCK_ROOT}. After each test the suite deletes that directory and checks that
 * nothing is left: not below it, not at it, and, once {@code /docker} is deleted too, nothing
 * anywhere ({@code list("/")} is empty). A driver that leaks files, temporary or not, or keeps
 * directories alive after their files are gone, fails there.
 */
public abstract class ContractSupport {

    /** The directory every test writes below. */
    protected static final String TCK_ROOT = "/docker/tck";

    /** The driver under test, wrapped in a {@link CheckedDriver}. */
    protected StorageDriver driver;

    private StorageDriver unwrapped;

    /**
     * A driver over empty storage, new for each test. For an external backend, point it at a
     * fresh bucket or prefix per test.
     */
    protected abstract StorageDriver newDriver() throws Exception;

    /**
     * Releases what {@link #newDriver()} acquired (clients, servers); called after each test,
     * after the leak check. Does nothing unless overridden.
     */
    protected void closeDriver(StorageDriver driver) throws Exception {
    }

    @BeforeEach
    protected final void openDriver() throws Exception {
        unwrapped = newDriver();
        assertNotNull(unwrapped, "newDriver() returned null");
        driver = CheckedDriver.wrap(unwrapped);
    }

    @AfterEach
    protected final void leavesNothingBehind() throws Exception {
        if (unwrapped == null) return;
        try {
            driver.delete(TCK_ROOT);
            assertEquals(List.of(), driver.list(TCK_ROOT), "children of " + TCK_ROOT + " after deleting it");
            assertEquals(Optional.empty(), driver.stat(TCK_ROOT), "stat of " + TCK_ROOT + " after deleting it");
            driver.delete("/docker");
            assertEquals(List.of(), driver.list("/"), "files left at the top after deleting /docker");
        } finally {
            closeDriver(unwrapped);
        }
    }

    /** {@code relative} below {@link #TCK_ROOT}. */
    protected static String path(String relative) {
        return TCK_ROOT + "/" + relative;
    }

    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Reproducible bytes that do not compress, so no backend can shortcut them. */
    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    protected static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    protected static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /** Digest of a stream read to its end, and the number of bytes it had. */
    protected static Hashed sha256(InputStream in) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
            count += n;
        }
        return new Hashed(HexFormat.of().formatHex(digest.digest()), count);
    }

    /** A digest and how many bytes went into it. */
    protected record Hashed(String sha256, long size) {
    }

    /** Writes {@code chunks} through one writer and commits. */
    protected void appendAndCommit(String path, byte[]... chunks) throws IOException {
        try (AppendWriter writer = driver.append(path)) {
            for (byte[] chunk : chunks) writer.write(ByteBuffer.wrap(chunk));
            writer.commit();
        }
    }

    /** The bytes of {@code path} from {@code offset}, read the way the HTTP layer sends them. */
    protected byte[] read(String path, long offset) throws IOException {
        try (Content content = driver.open(path, offset)) {
            return readContent(content);
        }
    }

    /**
     * Reads content by its kind, as the HTTP layer does: a file by {@code transferTo} over
     * exactly {@code [position, position + length)} (the zero-copy path, which ignores the
     * channel's own position), a stream to its end. Either way it must have exactly
     * {@code length()} bytes.
     */
    protected static byte[] readContent(Content content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (content instanceof Content.OfFile file) {
            assertTrue(file.position() >= 0, "negative position");
            WritableByteChannel sink = Channels.newChannel(out);
            long done = 0;
            while (done < file.length()) {
                long n = file.channel().transferTo(file.position() + done, file.length() - done, sink);
                if (n <= 0) break; // the file is shorter than the content claims
                done += n;
            }
        } else if (content instanceof Content.OfStream stream) {
            stream.stream().transferTo(out);
        }
        assertEquals(content.length(), out.size(), "bytes available versus the content's length");
        return out.toByteArray();
    }
}
