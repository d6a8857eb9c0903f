package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.ContentLostException;
import org.stevedore.storage.WriteConflictException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Two writers of one file on two drivers (two registry nodes) that opened the same version of it:
 * whichever commits first wins (its commit is a conditional PUT on the object both opened), the
 * other's commit fails with {@link WriteConflictException}, and the file holds exactly the
 * winner's bytes after the version both started from, whatever the file was (missing, small, a
 * completed object, or an open multipart upload with a tail). Where the loser overwrote a part the
 * winner committed, reading the file fails with {@link ContentLostException}: never other bytes.
 */
class S3ConcurrentAppendTest {
    private static final int PART = S3DriverSettings.MIN_CHUNK_SIZE; // the extension's chunksize
    private static final String FILE = "/docker/registry/v2/repositories/r/_uploads/u1/data";

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private final Random random = new Random(5);
    private S3DriverSettings settings;
    private S3Driver nodeA;
    private S3Driver nodeB;

    @BeforeEach
    void open() {
        settings = S3.settings();
        nodeA = S3Driver.create(settings);
        nodeB = S3Driver.create(settings);
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void theStoreTakesConditionalWritesAndRefusesStalePartsOnCompletion() {
        // The premises of the design, on the store the tests run against (S3Proxy 4.1 or S3):
        // conditional PUTs, and completions that check each part's ETag.
        var client = nodeA.client();
        String key = settings.rootDirectory() + "/probe";
        String etag = client.putObject(b -> b.bucket(settings.bucket()).key(key).ifNoneMatch("*"), RequestBody.fromString("one")).eTag();
        S3Exception exists = assertThrows(S3Exception.class,
                () -> client.putObject(b -> b.bucket(settings.bucket()).key(key).ifNoneMatch("*"), RequestBody.fromString("two")));
        assertEquals(412, exists.statusCode());
        client.putObject(b -> b.bucket(settings.bucket()).key(key).ifMatch(etag), RequestBody.fromString("three"));
        S3Exception stale = assertThrows(S3Exception.class,
                () -> client.putObject(b -> b.bucket(settings.bucket()).key(key).ifMatch(etag), RequestBody.fromString("four")));
        assertEquals(412, stale.statusCode());
        assertEquals("three", client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asUtf8String());

        // A part uploaded again under its number: completing with the first upload's ETag fails.
        String upload = client.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key)).uploadId();
        byte[] part = new byte[PART];
        String first = client.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(upload).partNumber(1),
                RequestBody.fromBytes(part)).eTag();
        part[0] = 1;
        client.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(upload).partNumber(1), RequestBody.fromBytes(part));
        S3Exception overwritten = assertThrows(S3Exception.class, () -> client.completeMultipartUpload(b -> b
                .bucket(settings.bucket()).key(key).uploadId(upload).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(first)))));
        assertEquals("InvalidPart", overwritten.awsErrorDetails().errorCode());
        client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(upload));
    }

    @Test
    void ofTwoWritersOfAnOpenUploadOnlyTheFirstToCommitWins() throws Exception {
        byte[] base = append(nodeA, new byte[0], bytes(PART + 700_000)); // one part and a tail
        assertFirstCommitWins(base, PART + 300_000); // each writer sends a part into the one upload
        assertFirstCommitWins(read(nodeA), 40_000); // tails only; the file was completed by the read
    }

    @Test
    void ofTwoWritersOfASmallOrMissingFileOnlyTheFirstToCommitWins() throws Exception {
        assertFirstCommitWins(new byte[0], 1000);
        assertFirstCommitWins(read(nodeB), 2000);
    }

    @Test
    void ofTwoWritersOfALargeCompletedFileOnlyTheFirstToCommitWins() throws Exception {
        byte[] base = append(nodeA, new byte[0], bytes(PART + 100));
        base = concat(base, new byte[0]);
        assertArrayEquals(base, read(nodeB)); // completed: each writer copies it into an upload of its own
        assertFirstCommitWins(base, 5000);
        assertTrue(uploads().size() <= 1, "the loser aborted the upload it started: " + uploads());
    }

    @Test
    void aLoserThatOverwroteTheWinnersPartMakesTheFileUnreadableNeverOtherBytes() throws Exception {
        append(nodeA, new byte[0], bytes(PART + 10));
        try (AppendWriter winner = nodeA.append(FILE); AppendWriter loser = nodeB.append(FILE)) {
            winner.write(ByteBuffer.wrap(bytes(PART + 20)));
            loser.write(ByteBuffer.wrap(bytes(PART + 30))); // the same part number, sent last
            winner.commit();
            assertThrows(WriteConflictException.class, loser::commit);
        }
        assertThrows(ContentLostException.class, () -> read(nodeB));
        assertThrows(ContentLostException.class, () -> nodeA.move(FILE, FILE + "-moved"));
    }

    @Test
    void aWriterWhoseOpenUploadWasCompletedByAReadElsewhereFailsAndTheNextSucceeds() throws Exception {
        byte[] base = append(nodeA, new byte[0], bytes(PART + 500));
        try (AppendWriter writer = nodeA.append(FILE)) {
            writer.write(ByteBuffer.wrap(bytes(100)));
            assertArrayEquals(base, read(nodeB)); // completes the upload the writer continues
            assertThrows(WriteConflictException.class, () -> {
                writer.write(ByteBuffer.wrap(bytes(PART)));
                writer.commit();
            });
        }
        assertArrayEquals(base, read(nodeA));
        byte[] next = bytes(PART + 77);
        assertArrayEquals(concat(base, next), append(nodeB, base, next));
        assertArrayEquals(concat(base, next), read(nodeA));
    }

    @Test
    void aReadCompletesTheStateAWriterCommittedAfterTheReadOpenedTheFile() throws Exception {
        byte[] base = append(nodeA, new byte[0], bytes(PART + 500));
        PendingFiles.Committed old = nodeB.pending().read(FILE).orElseThrow();
        byte[] next = bytes(3000);
        append(nodeA, base, next);
        nodeB.pending().materialize(FILE, old); // its conditional completion fails; it reads the new state
        assertArrayEquals(concat(base, next), read(nodeA));
    }

    /**
     * A commit the store applied but whose answer was lost: the SDK sends the conditional PUT
     * again, which now fails its condition (the placeholder is this writer's own). That is not a
     * lost race: the commit stands, and its tail stays.
     */
    @Test
    void aCommitWhoseAnswerWasLostIsNotMistakenForALostRace() throws Exception {
        try (FaultProxy proxy = new FaultProxy(S3.requireEndpoint().uri());
             S3Driver node = S3Driver.create(S3.settingsWith(java.util.Map.of("rootdirectory", settings.rootDirectory(),
                     "regionendpoint", proxy.endpoint().toString())))) {
            byte[] base = append(node, new byte[0], bytes(PART + 10));
            byte[] chunk = bytes(PART + 20);
            try (AppendWriter writer = node.append(FILE)) {
                writer.write(ByteBuffer.wrap(chunk)); // part 2 out; 30 bytes left for the tail
                proxy.inject(FaultProxy.PASS, FaultProxy.DEAF); // the tail PUT, then the placeholder PUT
                writer.commit();
            }
            assertEquals(0, proxy.pendingFaults());
            assertArrayEquals(concat(base, chunk), read(nodeB));
        }
    }

    /**
     * Two writers open the current version; B writes first, A commits, B's commit fails; the file
     * is base + A's bytes and B's tail is gone.
     */
    private void assertFirstCommitWins(byte[] base, int chunk) throws Exception {
        byte[] winner = bytes(chunk);
        byte[] loser = bytes(chunk);
        try (AppendWriter a = nodeA.append(FILE); AppendWriter b = nodeB.append(FILE)) {
            assertEquals(base.length, a.size());
            assertEquals(base.length, b.size());
            b.write(ByteBuffer.wrap(loser));
            a.write(ByteBuffer.wrap(winner));
            a.commit();
            assertThrows(WriteConflictException.class, b::commit, "the second commit on one version");
        }
        assertEquals(base.length + chunk, nodeB.stat(FILE).orElseThrow().size());
        long tails = rawKeys().stream().filter(k -> k.contains(".s3-tail.")).count();
        assertTrue(tails <= 1, "at most the winner's tail: " + rawKeys());
        assertArrayEquals(concat(base, winner), read(nodeB), "exactly the winner's bytes after the base");
    }

    private byte[] append(S3Driver node, byte[] base, byte[] chunk) throws Exception {
        try (AppendWriter writer = node.append(FILE)) {
            assertEquals(base.length, writer.size());
            writer.write(ByteBuffer.wrap(chunk));
            writer.commit();
        }
        return concat(base, chunk);
    }

    private static byte[] read(S3Driver node) throws Exception {
        try (Content content = node.open(FILE, 0); InputStream in = content.asStream()) {
            return in.readAllBytes();
        }
    }

    private List<String> rawKeys() {
        return nodeA.client().listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .contents().stream().map(o -> o.key()).toList();
    }

    private List<String> uploads() {
        return nodeA.client().listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .uploads().stream().map(u -> u.uploadId()).toList();
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }
}
