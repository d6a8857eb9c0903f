package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.tck.StorageAudit;

/**
 * Pushes from several {@link CrashWorker}s to a {@link ServerProcess} and kills it with SIGKILL
 * whenever the clients have made a random number of requests; restarts it on the same storage and
 * port; checks that every start is clean and spot-checks acknowledged content after each; at the
 * end audits storage, verifies everything acknowledged, and lets the upload purger (age 0) empty
 * every {@code _uploads} directory. Prints a {@code FIGURES:} line.
 */
final class CrashHarness implements CrashWorker.Harness {
    private static final int WORKERS = 4;

    private final ServerProcess server;
    private final Random random;
    private final AtomicLong requests = new AtomicLong();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<CrashWorker> workers = new ArrayList<>();
    private volatile HttpClient client = newClient();
    private volatile int generation;
    private volatile boolean stopping;
    private long spotChecked;

    CrashHarness(ServerProcess server, long seed) {
        this.server = server;
        this.random = new Random(seed);
        for (int i = 0; i < WORKERS; i++) workers.add(new CrashWorker(this, i, seed * 31 + i));
    }

    /** Runs {@code kills} kill-restart cycles, then the final checks; {@code purgingConfig} restarts with purging at age 0. */
    void run(String what, int kills, StorageDriver storage, Runnable purgingConfig) throws Exception {
        long startNanos = System.nanoTime();
        server.start();
        assertEquals(List.of(), server.startupProblems(), server.output());
        List<Thread> threads = new ArrayList<>();
        for (CrashWorker worker : workers) {
            Thread thread = new Thread(worker, "crash-" + worker.repo);
            thread.start();
            threads.add(thread);
        }
        int killed = 0;
        try {
            for (; killed < kills; killed++) {
                awaitProgress(5 + random.nextInt(40));
                violations.addAll(server.startupProblems()); // also any error logged while serving
                int status = server.kill();
                assertEquals(137, status, "SIGKILL ends the server with 128 + 9");
                server.start();
                violations.addAll(server.startupProblems());
                client = newClient(); // connections to the killed server are dead
                synchronized (this) {
                    generation++;
                    notifyAll();
                }
                spotCheck();
            }
        } finally {
            stopping = true;
            synchronized (this) {
                notifyAll();
            }
            for (Thread thread : threads) thread.join(Duration.ofSeconds(60).toMillis());
        }
        // A clean restart with the upload purger at age 0: every leftover session goes.
        server.stop();
        long uploadsBefore = uploadSessions(storage);
        purgingConfig.run();
        server.start();
        violations.addAll(server.startupProblems());
        client = newClient();
        CrashVerifier verifier = new CrashVerifier(client, server.base());
        for (CrashWorker worker : workers) verifier.verify(worker);
        StorageAudit.Report audit = StorageAudit.of(storage);
        long uploadsLeft = awaitUploadsPurged(storage);
        server.stop();
        long resumed = workers.stream().mapToLong(w -> w.resumed).sum();
        long seconds = Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
        System.out.println("FIGURES: crash safety [" + what + "]: kills survived " + killed + " (SIGKILL, exit 137), clean starts "
                + server.starts() + ", requests " + requests.get() + ", uploads resumed after a kill " + resumed
                + ", acknowledged objects " + verifier.acknowledged() + " all verified by digest after the last kill"
                + ", spot checks after restarts " + spotChecked + ", storage audit: " + audit
                + ", upload sessions left by kills " + uploadsBefore + ", left after purging " + uploadsLeft + ", violations " + violations.size()
                + ", partial states " + (verifier.problems().size() + audit.problems().size()) + ", " + seconds + " s");
        assertEquals(List.of(), violations, "answers and server logs");
        assertEquals(List.of(), verifier.problems(), "acknowledged content after the kills");
        assertEquals(List.of(), audit.problems(), "storage audit after the kills");
        assertEquals(0, uploadsLeft, "upload sessions left after purging");
        assertTrue(verifier.acknowledged() > kills, "the clients got work acknowledged: " + verifier.acknowledged());
    }

    private void awaitProgress(int count) throws InterruptedException {
        long target = requests.get() + count;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (requests.get() < target) {
            if (System.nanoTime() > deadline) throw new AssertionError("clients made no progress for 90 s:\n" + violations);
            Thread.sleep(5); // bounded polling of the request counter
        }
    }

    private void spotCheck() throws IOException, InterruptedException {
        CrashVerifier verifier = new CrashVerifier(client, server.base());
        CrashWorker worker = workers.get(random.nextInt(workers.size()));
        verifier.spotCheck(worker, random, 5);
        spotChecked += verifier.checked();
        violations.addAll(verifier.problems());
    }

    /** Polls (bounded) until every repository's {@code _uploads} is empty; returns how many sessions are left. */
    private long awaitUploadsPurged(StorageDriver storage) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            long left = uploadSessions(storage);
            if (left == 0 || System.nanoTime() > deadline) return left;
            Thread.sleep(100);
        }
    }

    private long uploadSessions(StorageDriver storage) throws IOException {
        long sessions = 0;
        for (CrashWorker worker : workers) {
            for (String repo : worker.blobs.keySet()) {
                sessions += storage.list(StorageLayout.uploadsDirectory(RepositoryName.of(repo))).size();
            }
        }
        return sessions;
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public HttpClient client() {
        return client;
    }

    @Override
    public URI base() {
        return server.base();
    }

    @Override
    public int generation() {
        return generation;
    }

    @Override
    public synchronized boolean awaitRestartAfter(int seen) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (generation == seen && !stopping) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                violations.add("a request failed while the server was up, and no restart followed");
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return !stopping;
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    @Override
    public void requestDone() {
        requests.incrementAndGet();
    }

    @Override
    public void violation(String problem) {
        violations.add(problem);
    }

    static void writeConfig(Path config, int port, String storage, boolean purge) throws IOException {
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: info",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "storage:",
                storage,
                "  maintenance:",
                "    uploadpurging:",
                "      enabled: " + purge,
                "      age: 0s",
                "      interval: 1s",
                ""));
    }
}
