package org.stevedore.service;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * A blob sent whole to a session that holds no bytes yet ({@code PUT ?digest=} with the body):
 * its digest is known before its first byte, so the bytes are written where the blob lives,
 * hidden until they are verified ({@link StorageDriver#writeHidden}), instead of into the session
 * and then moved. On S3 a move is a copy of every byte (and on S3Proxy's file backend a rewrite),
 * so this saves one whole pass over the blob; on a filesystem the default stages the bytes in the
 * session's {@code data} and renames them, as before.
 *
 * <p>Verify, then publish, as for every upload: the digest is computed while the body streams and
 * compared before the writer commits; a mismatch or a short body discards the write and leaves
 * nothing at the blob's path. What the store needs to discard a write abandoned by a killed node
 * is kept beside the session's {@code data}, so purging or expiring the session discards it from
 * any node, and garbage collection's sweep of temporary files removes what a write killed even
 * before that left ({@link StorageDriver#sweepTemporaryFiles}).
 *
 * <p>Why online garbage collection stays safe (see {@link GarbageCollector}): the bytes become
 * visible at the blob's path only by the commit, which runs as the store step of
 * {@link BlobService#publish}, in the same place the move from the session ran, under the blob's
 * shared lock, before the link is written and the use recorded. So a collector sees exactly what
 * it saw with the move: no bytes until the commit, then bytes whose time (and the use recorded
 * right after) are newer than its cutoff. An unfinished write is not a file: a collector can
 * neither set it aside nor delete it, and a collector that sets aside or deletes bytes of the same
 * digest meanwhile only makes {@code publish} find none and commit these. If the blob's bytes
 * already exist, {@code publish} records a use and does not run the commit: the write is
 * discarded and the stored bytes are not touched. Two pushes of one digest at once commit
 * identical bytes; whichever lands last replaces the other's whole, which readers cannot tell apart.
 */
final class HiddenBlobUpload {
    private final StorageDriver driver;
    private final BlobService blobs;

    HiddenBlobUpload(StorageDriver driver, BlobService blobs) {
        this.driver = driver;
        this.blobs = blobs;
    }

    /**
     * Streams {@code body} to the blob's path, verifies it against {@code expected} and publishes
     * the blob in repository {@code name}. The caller holds the session's lock and ends the
     * session after this returns, or after a {@code DIGEST_INVALID}.
     *
     * @throws org.stevedore.error.RegistryException {@code SIZE_INVALID} when {@code length} does
     *     not match the body, {@code DIGEST_INVALID} when the digest does not; nothing is visible then
     */
    BlobInfo upload(RepositoryName name, String id, Digest expected, ReadableByteChannel body, OptionalLong length)
            throws IOException {
        MessageDigest digest = newDigest(expected);
        try (HiddenWriter writer = driver.writeHidden(StorageLayout.blobData(expected), StorageLayout.uploadData(name, id), length)) {
            HashingCopy.copy(body, digest, writer::write);
            long size = writer.size();
            if (length.isPresent() && size != length.getAsLong()) {
                throw ErrorCode.SIZE_INVALID.withDetail("expected " + length.getAsLong() + " bytes, got " + size);
            }
            Digest actual = new Digest(expected.algorithm(), HexFormat.of().formatHex(digest.digest()));
            if (!actual.equals(expected)) {
                throw ErrorCode.DIGEST_INVALID.withDetail("expected " + expected + " but the content is " + actual);
            }
            blobs.publish(name, expected, writer::commitThenWriteInOrder);
            return new BlobInfo(expected, size);
        }
    }

    private static MessageDigest newDigest(Digest expected) {
        try {
            return MessageDigest.getInstance(expected.javaAlgorithm());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
