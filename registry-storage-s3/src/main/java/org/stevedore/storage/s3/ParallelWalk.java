package org.stevedore.storage.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.stevedore.storage.StorageDriver;

/**
 * The deep listing of {@link StorageDriver#listDirectoriesWithChildStartingWith} as a walk with
 * many listings in flight, level by level, for stores that refuse S3's delimiter trick (S3Proxy's
 * filesystem backend accepts only {@code "/"}). Each directory still costs one listing, but
 * thousands of them take the time of thousands divided by the parallelism. The threads live for
 * one walk only, so an idle driver holds none.
 */
final class ParallelWalk {
    private ParallelWalk() {
    }

    static Map<String, Set<String>> run(StorageDriver driver, String directory, String childPrefix, int parallelism)
            throws IOException {
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "s3-walk-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Set<String>> found = new HashMap<>();
            List<String> level = List.of(directory);
            while (!level.isEmpty()) {
                List<Future<List<String>>> listings = new ArrayList<>(level.size());
                for (String current : level) listings.add(pool.submit(() -> driver.list(current)));
                List<String> next = new ArrayList<>();
                for (int i = 0; i < level.size(); i++) {
                    Set<String> marked = new HashSet<>();
                    for (String child : listings.get(i).get()) {
                        String name = child.substring(child.lastIndexOf('/') + 1);
                        if (name.startsWith(childPrefix)) marked.add(name);
                        else next.add(child);
                    }
                    if (!marked.isEmpty() && !level.get(i).equals(directory)) found.put(level.get(i), marked);
                }
                level = next;
            }
            return found;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("walk interrupted");
        } finally {
            pool.shutdownNow();
        }
    }
}
