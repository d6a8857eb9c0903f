package org.stevedore.policies;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.RequestObserver;
import org.stevedore.http.V2Route;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Writes down when tags are pulled, for retention's {@code keepwithin}: a successful
 * {@code GET} or {@code HEAD} of a manifest by tag (docker and containerd resolve a tag with
 * {@code HEAD}, then fetch by digest) touches {@code _pulls/<tag>} beside the repository's
 * manifests; the file's modification time is the pull time.
 *
 * <p>Cheap by construction: at most one write per tag per {@link #interval} per node (a node
 * remembers, in a bounded map, when it last wrote or saw each tag's record; a tag it does not
 * remember costs one stat first), done off the request thread on one worker with a bounded
 * queue; while the queue is full pulls are not recorded (a later one is). So a pull time is
 * exact to within the interval, which is why retention's window should be much longer.
 */
public final class PullRecorder implements RequestObserver, AutoCloseable {
    /** How stale a recorded pull may be before a pull writes it again. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(PullRecorder.class);
    private static final int REMEMBERED = 10_000;

    private final StorageDriver driver;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, Instant> recorded = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000), runnable -> {
                Thread thread = new Thread(runnable, "stevedore-pull-recorder");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());

    public PullRecorder(StorageDriver driver, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        this.driver = driver;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void completed(CompletedRequest request) {
        if (request.status() != 200 || !(request.method().equals("GET") || request.method().equals("HEAD"))) return;
        Optional<V2Route> route = request.route();
        if (route.isEmpty() || !(route.get() instanceof V2Route.Manifest manifest)) return;
        if (!(manifest.reference() instanceof Tag tag)) return;
        String key = manifest.name().value() + ":" + tag.value();
        Instant now = clock.instant();
        if (writer.getQueue().remainingCapacity() == 0) return; // busy: a later pull records it
        synchronized (recorded) {
            Instant last = recorded.get(key);
            if (last != null && last.isAfter(now.minus(interval))) return;
            recorded.put(key, now); // claimed: other pulls meanwhile do not queue the same write
        }
        writer.execute(() -> record(manifest.name(), tag, key, now));
    }

    /** Writes the record unless another node wrote it within the interval (then remembers that time). */
    private void record(RepositoryName name, Tag tag, String key, Instant now) {
        String path = StorageLayout.tagPulled(name, tag);
        try {
            Optional<Instant> existing = driver.statFile(path).map(FileInfo::modified);
            if (existing.isPresent() && existing.get().isAfter(now.minus(interval))) {
                synchronized (recorded) {
                    recorded.put(key, existing.get());
                }
                return;
            }
            driver.writeSmall(path, new byte[0]);
        } catch (IOException | RuntimeException e) {
            synchronized (recorded) {
                recorded.remove(key); // the next pull tries again
            }
            LOG.debug("could not record a pull of {}:{}: {}", name, tag, e.toString());
        }
    }

    /** Waits for the queued records (tests, shutdown). */
    void flush() throws InterruptedException {
        java.util.concurrent.Future<?> done = writer.submit(() -> { });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
