package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.sha256;
import static org.stevedore.storage.s3.S3Http.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.WriteConflictException;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Two PATCHes of one upload session at the same offset, at the same moment, one through each of
 * two registries over one bucket (a client retrying through a load balancer, or two clients that
 * share a session URL). Both pass the offset check before either commits, so the store decides
 * (conditional writes). Every round, on a fresh session, must end with at most one PATCH
 * acknowledged, the session holding exactly the acknowledged bytes, and a completion that either
 * publishes exactly those bytes under their digest or fails with a clear 4xx; never a blob whose
 * bytes differ from its digest. The chunks have equal lengths, so both nodes compute a running
 * hash for the same offset: the one that lost must never vouch for its bytes.
 *
 * <p>The part size is S3's minimum and the first chunk of each session leaves a part and a tail, so
 * each round runs the multipart path: a placeholder commit (after a part uploaded into the
 * session's open upload, in every other round), a tail, and, on the node without the running
 * hash, the upload completed by the rehash read while the other node appends. Both nodes reach S3Proxy through one {@link FaultProxy} that makes its
 * conditional writes atomic, as S3's are.
 */
class S3ConcurrentPatchAcrossNodesTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static final int ROUNDS = 16;

    private static FaultProxy proxy;
    private static S3Driver driverA;
    private static S3Driver driverB;
    private static Registry nodeA;
    private static Registry nodeB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        proxy = new FaultProxy(S3.requireEndpoint().uri());
        proxy.serializeConditionalWrites();
        S3DriverSettings settings = S3.settingsWith(Map.of("chunksize", S3DriverSettings.MIN_CHUNK_SIZE,
                "regionendpoint", proxy.endpoint().toString())).withRedirect(false);
        driverA = S3Driver.create(settings);
        driverB = S3Driver.create(settings);
        nodeA = Registry.builder().storage(driverA).start();
        nodeB = Registry.builder().storage(driverB).start();
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        driverA.close();
        driverB.close();
        proxy.close();
    }

    @Test
    void everyRoundAcknowledgesAtMostOnePatchAndPublishesOnlyBytesThatMatchTheirDigest() throws Exception {
        Random random = new Random(42);
        List<String> outcomes = new ArrayList<>();
        int won = 0;
        int published = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String repository = "/v2/team/race" + round;
            // The first chunk leaves one part and a tail (the open-upload state the race is
            // about), and node A holds the running hash at its end.
            byte[] first = bytes(random, S3DriverSettings.MIN_CHUNK_SIZE + 700_000);
            String location = startWithChunk(repository, first);

            // Even rounds: chunks that send a part each (the same part number); odd rounds: short
            // chunks that only replace the tail, so the node with the running hash commits sooner.
            int length = round % 2 == 0 ? S3DriverSettings.MIN_CHUNK_SIZE + 300_000 + random.nextInt(200_000)
                    : 50_000 + random.nextInt(50_000);
            byte[] a = bytes(random, length);
            byte[] b = bytes(random, a.length);
            CyclicBarrier barrier = new CyclicBarrier(2);
            CompletableFuture<HttpResponse<byte[]>> viaA = CompletableFuture.supplyAsync(() -> racing(barrier, nodeA, location, a, first.length));
            CompletableFuture<HttpResponse<byte[]>> viaB = CompletableFuture.supplyAsync(() -> racing(barrier, nodeB, location, b, first.length));
            HttpResponse<byte[]> ra = viaA.get();
            HttpResponse<byte[]> rb = viaB.get();
            String outcome = "round " + round + ": PATCH " + ra.statusCode() + "/" + rb.statusCode();
            assertCleanOutcome(ra, outcome);
            assertCleanOutcome(rb, outcome);
            assertTrue(ra.statusCode() != 202 || rb.statusCode() != 202, outcome + ": both conflicting PATCHes were acknowledged");

            ByteArrayOutputStream acknowledged = new ByteArrayOutputStream();
            acknowledged.write(first);
            byte[] lost = null;
            Registry loser = null;
            if (ra.statusCode() == 202 || rb.statusCode() == 202) {
                won++;
                acknowledged.write(ra.statusCode() == 202 ? a : b);
                lost = ra.statusCode() == 202 ? b : a;
                loser = ra.statusCode() == 202 ? nodeB : nodeA;
            }
            byte[] expected = acknowledged.toByteArray();
            boolean sessionAlive = assertStatusShows(location, expected.length, outcome);

            // Every third round with a winner, first try to complete with the loser's bytes
            // through the loser's node: never accepted. The other rounds complete with the
            // acknowledged bytes, alternately through either node.
            if (lost != null && round % 3 == 2) {
                byte[] wrong = concat(first, lost);
                HttpResponse<byte[]> done = complete(loser, location, sha256(wrong));
                outcome += ", PUT with the loser's digest " + done.statusCode();
                assertNotEquals(201, done.statusCode(), outcome + ": a blob of bytes that were never acknowledged");
                assertCleanOutcome(done, outcome);
                assertBlobMatchesDigestOrIsAbsent(repository, sha256(wrong), outcome);
            } else if (sessionAlive) {
                HttpResponse<byte[]> done = complete(round % 2 == 0 ? nodeA : nodeB, location, sha256(expected));
                outcome += ", PUT " + done.statusCode();
                if (done.statusCode() == 201) {
                    published++;
                    for (Registry node : new Registry[] {nodeA, nodeB}) {
                        HttpResponse<byte[]> pulled = send(node, "GET", repository + "/blobs/" + sha256(expected), new byte[0]);
                        assertEquals(200, pulled.statusCode(), () -> text(pulled));
                        assertArrayEquals(expected, pulled.body(), outcome + ": the blob is exactly the acknowledged bytes");
                    }
                } else {
                    assertCleanOutcome(done, outcome);
                    assertBlobMatchesDigestOrIsAbsent(repository, sha256(expected), outcome);
                }
            }
            outcomes.add(outcome);
        }
        System.out.println("S3ConcurrentPatchAcrossNodesTest outcomes: " + outcomes);
        assertTrue(won > 0, "some round must acknowledge one of the two PATCHes: " + outcomes);
        assertTrue(published > 0, "some round must publish the acknowledged bytes: " + outcomes);
    }

    /**
     * The case S3 cannot prevent: a writer that loses the commit has already overwritten the part
     * the winner committed (both sent the same part number, the loser last). Node A acknowledged
     * its PATCH and holds the running hash of exactly its bytes, so the digest check at completion
     * passes; the stored bytes are not those, and completion must fail with a clear 400 instead of
     * publishing them (S3 refuses the part's stale ETag).
     */
    @Test
    void aPartOverwrittenByTheLoserFailsCompletionWithA400AndPublishesNothing() throws Exception {
        Random random = new Random(7);
        String repository = "/v2/team/overwritten";
        byte[] first = bytes(random, S3DriverSettings.MIN_CHUNK_SIZE + 10);
        String location = startWithChunk(repository, first);
        String id = location.substring(location.lastIndexOf('/') + 1).split("\\?")[0];
        String data = StorageLayout.uploadData(RepositoryName.of("team/overwritten"), id);

        byte[] winner = bytes(random, S3DriverSettings.MIN_CHUNK_SIZE + 20);
        try (AppendWriter loser = driverB.append(data)) {
            loser.write(ByteBuffer.wrap(new byte[1])); // opened and checked before the winner commits
            HttpResponse<byte[]> won = patch(nodeA, location, winner, first.length);
            assertEquals(202, won.statusCode(), () -> text(won));
            loser.write(ByteBuffer.wrap(bytes(random, S3DriverSettings.MIN_CHUNK_SIZE))); // part 2 again
            assertThrows(WriteConflictException.class, loser::commit);
        }
        String digest = sha256(concat(first, winner));
        HttpResponse<byte[]> done = complete(nodeA, location, digest);
        assertEquals(400, done.statusCode(), () -> text(done));
        assertTrue(text(done).contains("BLOB_UPLOAD_INVALID") && text(done).contains("overwritten"), () -> text(done));
        for (Registry node : new Registry[] {nodeA, nodeB}) {
            assertEquals(404, send(node, "GET", repository + "/blobs/" + digest, new byte[0]).statusCode(), "nothing published");
            assertEquals(404, send(node, "GET", location, new byte[0]).statusCode(), "the session is over");
        }
    }

    /** The session reports exactly the acknowledged bytes on both nodes, or is gone (its data was lost); whether it lives. */
    private static boolean assertStatusShows(String location, long size, String outcome) {
        int alive = 0;
        for (Registry node : new Registry[] {nodeA, nodeB}) {
            HttpResponse<byte[]> status = send(node, "GET", location, new byte[0]);
            if (status.statusCode() == 404) continue;
            assertEquals(204, status.statusCode(), () -> outcome + ": " + text(status));
            assertEquals("0-" + (size - 1), header(status, "Range"), outcome + ": the session holds exactly the acknowledged bytes");
            alive++;
        }
        assertTrue(alive == 0 || alive == 2, outcome + ": both nodes see the same session");
        return alive == 2;
    }

    /** A blob of that digest, if one was published, has bytes with that digest. */
    private static void assertBlobMatchesDigestOrIsAbsent(String repository, String digest, String outcome) {
        for (Registry node : new Registry[] {nodeA, nodeB}) {
            HttpResponse<byte[]> pulled = send(node, "GET", repository + "/blobs/" + digest, new byte[0]);
            if (pulled.statusCode() == 404) continue;
            assertEquals(200, pulled.statusCode(), () -> text(pulled));
            assertEquals(digest, sha256(pulled.body()), outcome + ": a blob whose bytes differ from its digest");
        }
    }

    /** A refused request is an OCI error a client can act on (4xx), never a 5xx. */
    private static void assertCleanOutcome(HttpResponse<byte[]> response, String outcome) {
        int status = response.statusCode();
        if (status == 202 || status == 201) return;
        assertTrue(status >= 400 && status < 500, () -> outcome + ": unexpected " + text(response));
        assertTrue(new String(response.body(), StandardCharsets.UTF_8).contains("\"errors\""), () -> "no OCI error JSON: " + text(response));
    }

    private static HttpResponse<byte[]> complete(Registry node, String location, String digest) {
        return send(node, "PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest, new byte[0]);
    }

    private static HttpResponse<byte[]> racing(CyclicBarrier barrier, Registry node, String location, byte[] chunk, long offset) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return patch(node, location, chunk, offset);
    }

    /** Starts an upload in {@code repository} on node A and sends {@code first} as its first chunk; the upload's location. */
    private static String startWithChunk(String repository, byte[] first) {
        HttpResponse<byte[]> started = send(nodeA, "POST", repository + "/blobs/uploads/", new byte[0]);
        assertEquals(202, started.statusCode(), () -> text(started));
        HttpResponse<byte[]> firstPatch = patch(nodeA, header(started, "Location"), first, 0);
        assertEquals(202, firstPatch.statusCode(), () -> text(firstPatch));
        return header(firstPatch, "Location");
    }

    private static HttpResponse<byte[]> patch(Registry node, String location, byte[] chunk, long offset) {
        return send(node, "PATCH", location, chunk, "Content-Range", offset + "-" + (offset + chunk.length - 1),
                "Content-Type", "application/octet-stream");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
