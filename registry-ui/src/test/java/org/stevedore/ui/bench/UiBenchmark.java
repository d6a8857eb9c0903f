package org.stevedore.ui.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.stevedore.model.MediaType;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.fs.FilesystemDriver;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.ui.WebUi;

/**
 * Not a test: how long the UI's heaviest pages take on a warm server over the filesystem driver,
 * with REPOSITORIES repositories and one repository of TAGS tags (over 100 distinct images), with
 * governance on as the server runs it. Times are wall times of loopback requests, measured by the
 * client, so an upper bound on server time ({@code -Dbench.governance=false}: without usage
 * figures, as an embedded UI without policies). Also counts the storage calls one view of each page
 * makes (on S3 a stat is a HEAD, a listing a request per 1,000 keys), and times the tags' push
 * times read both ways: a stat per tag link by hand (before) and {@code statInEachChild} (now).
 * Usage: bench/ui [REPOSITORIES [TAGS [REQUESTS]]] (default 5000 10000 20).
 */
public final class UiBenchmark {
    public static void main(String[] args) throws Exception {
        int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int tags = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        // The script deletes this directory afterwards (rm -rf is much faster than Java here).
        Path root = Files.createDirectories(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")
                + "/ui-bench-" + ProcessHandle.current().pid())));
        org.stevedore.storage.StorageDriver storage = Boolean.getBoolean("bench.memory")
                ? org.stevedore.storage.memory.InMemoryDriver.create() : FilesystemDriver.at(root);
        CallCounter calls = new CallCounter();
        try (Registry registry = Registry.builder().storage(calls.around(storage)).maxPageSize(20_000)
                .mount(WebUi.PREFIX, Boolean.parseBoolean(System.getProperty("bench.governance", "true"))
                        ? WebUi.defaults().policies(org.stevedore.policies.Policies.NONE) : WebUi.defaults()).start()) {
            long started = System.nanoTime();
            RepositoryName big = RepositoryName.of("bench/many-tags");
            PushedImage[] images = new PushedImage[100];
            for (int i = 0; i < images.length; i++) images[i] = registry.fixtures().pushImage(big.value(), "base" + i, 2000 + i);
            registry.fixtures().pushImage("bench/repo00000", "latest", 1000);
            if (storage instanceof FilesystemDriver) {
                // Pushing through the services makes every write durable (fsync), minutes for this
                // many; the same files copied without fsync are what the pages read all the same.
                Path repositories0 = root.resolve(StorageLayout.REPOSITORIES.substring(1));
                for (int i = 1; i < repositories; i++) {
                    copyTree(repositories0.resolve("bench/repo00000"), repositories0.resolve(String.format("bench/repo%05d", i)));
                }
                Path tagsDirectory = root.resolve(StorageLayout.tagsDirectory(big).substring(1));
                for (int i = 0; i < tags - images.length; i++) {
                    copyTree(tagsDirectory.resolve("base" + (i % images.length)), tagsDirectory.resolve(String.format("v%05d", i)));
                }
            } else {
                for (int i = 1; i < repositories; i++) {
                    registry.fixtures().pushImage(String.format("bench/repo%05d", i), "latest", 1000 + i);
                }
                for (int i = 0; i < tags - images.length; i++) {
                    PushedImage image = images[i % images.length];
                    registry.service().manifests().put(big, Tag.of(String.format("v%05d", i)), image.manifestBytes(),
                            Optional.of(MediaType.OCI_MANIFEST));
                }
            }
            System.out.printf("filled %s (%s): %d repositories, %d tags in %s, in %.0f s%n", root, storage.name(), repositories + 1, tags,
                    big, (System.nanoTime() - started) / 1e9);
            HttpClient http = HttpClient.newHttpClient();
            URI base = registry.url();
            String[] pages = {"/ui/", "/ui/?q=repo04", "/ui/?last=bench/repo02500", "/ui/r/bench/many-tags",
                    "/ui/r/bench/many-tags?page=150", "/ui/r/bench/many-tags?q=v0999",
                    "/ui/m/bench/many-tags@" + images[0].manifest(),
                    // The distribution API's own listings of the same content, for ratios on a noisy machine.
                    "/v2/_catalog?n=" + (repositories + 1), "/v2/bench/many-tags/tags/list?n=" + tags};
            pushTimes(storage, big);
            System.out.printf("%-40s %9s %9s %9s %9s  %s%n", "page (warm)", "median ms", "p90 ms", "max ms", "bytes",
                    "storage calls in one view");
            for (String page : pages) {
                HttpRequest request = HttpRequest.newBuilder(base.resolve(page)).build();
                for (int i = 0; i < requests; i++) check(http.send(request, HttpResponse.BodyHandlers.ofString()), page);
                double[] millis = new double[requests];
                int bytes = 0;
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    millis[i] = (System.nanoTime() - t0) / 1e6;
                    check(response, page);
                    bytes = response.body().length();
                }
                Arrays.sort(millis);
                calls.reset();
                check(http.send(request, HttpResponse.BodyHandlers.ofString()), page);
                System.out.printf("%-40s %9.1f %9.1f %9.1f %9d  %s%n", page.length() > 40 ? page.substring(0, 37) + "..." : page,
                        millis[requests / 2], millis[(int) (requests * 0.9)], millis[requests - 1], bytes, calls.summary());
            }
        }
    }

    /**
     * The tags' push times of {@code name} read by hand (a listing and a stat of each tag's current
     * link, what the page did) and through {@code statInEachChild} (what it does now; on a
     * filesystem the same work behind one call), median of 5 each.
     */
    private static void pushTimes(org.stevedore.storage.StorageDriver storage, RepositoryName name) throws Exception {
        String directory = StorageLayout.tagsDirectory(name);
        double[] stats = new double[5];
        double[] listing = new double[5];
        int statted = 0;
        int listed = 0;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            statted = 0;
            for (String child : storage.list(directory)) {
                Tag tag = Tag.of(StorageLayout.fileName(child));
                if (storage.statFile(StorageLayout.tagCurrentLink(name, tag)).isPresent()) statted++;
            }
            long t1 = System.nanoTime();
            listed = storage.statInEachChild(directory, StorageLayout.TAG_CURRENT_LINK).size();
            long t2 = System.nanoTime();
            if (round > 0) { // the first round warms up
                stats[round - 1] = (t1 - t0) / 1e6;
                listing[round - 1] = (t2 - t1) / 1e6;
            }
        }
        Arrays.sort(stats);
        Arrays.sort(listing);
        System.out.printf("push times of %d tags: a stat per tag %.1f ms (%d calls), statInEachChild %.1f ms (%d links, 1 call)"
                + ", ratio %.2f%n", statted, stats[2], statted + 1, listing[2], listed, stats[2] / listing[2]);
    }

    /** Counts the calls made to a storage driver, by method. */
    private static final class CallCounter {
        private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> counts =
                new java.util.concurrent.ConcurrentSkipListMap<>();

        org.stevedore.storage.StorageDriver around(org.stevedore.storage.StorageDriver driver) {
            return (org.stevedore.storage.StorageDriver) java.lang.reflect.Proxy.newProxyInstance(
                    UiBenchmark.class.getClassLoader(), new Class<?>[] {org.stevedore.storage.StorageDriver.class},
                    (proxy, method, args) -> {
                        counts.computeIfAbsent(method.getName(), k -> new java.util.concurrent.atomic.LongAdder()).increment();
                        try {
                            return method.invoke(driver, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        void reset() {
            counts.clear();
        }

        String summary() {
            StringBuilder out = new StringBuilder();
            counts.forEach((name, count) -> {
                if (!name.equals("name")) out.append(out.length() == 0 ? "" : " ").append(name).append('=').append(count.sum());
            });
            return out.toString();
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) Files.createDirectories(target);
                else Files.copy(path, target);
            }
        }
    }

    private static void check(HttpResponse<String> response, String page) {
        if (response.statusCode() != 200) throw new IllegalStateException(page + " answered " + response.statusCode());
    }
}
