package org.stevedore.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;

/**
 * Copies an image between registries and OCI layouts, as {@code skopeo copy} does, with the
 * digests unchanged: blobs stream from source to destination (never held in memory), at most
 * {@link CopyOptions#parallelism()} at once, each retried whole on failure; blobs the
 * destination has are skipped, and on the same registry mounted instead of sent; with
 * {@link CopyOptions#withReferrers()} the signatures and SBOMs of what was copied follow it.
 * Published API.
 *
 * <pre>{@code
 * ImageCopy.Result result = ImageCopy.copy("docker://127.0.0.1:5000/app:1", "oci:/tmp/app:1", CopyOptions.DEFAULT);
 * }</pre>
 */
public final class ImageCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a copy did: the top manifest's digest and how its blobs got there. */
    public record Result(Digest digest, int blobsSent, int blobsSkipped, int blobsMounted) {
    }

    /** Hears of each blob as it is done ({@code outcome}: sent, skipped, mounted), for a progress display. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (digest, size, outcome) -> { };

        void blobDone(Digest digest, long size, String outcome);
    }

    private final ImageSource source;
    private final ImageDestination destination;
    private final CopyOptions options;
    private final Progress progress;
    private final ExecutorService blobWorkers;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger mounted = new AtomicInteger();

    private ImageCopy(ImageSource source, ImageDestination destination, CopyOptions options, Progress progress) {
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.progress = progress;
        this.blobWorkers = Executors.newFixedThreadPool(options.parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "stevedore-copy");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Copies {@code source} to {@code destination}, each in skopeo's syntax: {@code docker://...},
     * {@code oci:DIR:TAG} or {@code docker-archive:FILE[:NAME:TAG]}.
     */
    public static Result copy(String source, String destination, CopyOptions options) throws IOException {
        return copy(source, destination, options, Progress.NONE);
    }

    /** As {@link #copy(String, String, CopyOptions)}, telling {@code progress} of each blob (from several threads). */
    public static Result copy(String source, String destination, CopyOptions options, Progress progress)
            throws IOException {
        ImageLocation from = ImageLocation.parse(source);
        ImageLocation to = ImageLocation.parse(destination);
        if (to instanceof ImageLocation.DockerArchive && options.withReferrers()) {
            throw new CopyException(to + ": a docker save archive holds no referrers (leave out --with-referrers)");
        }
        try (ImageSource reader = source(from, options); ImageDestination writer = destination(to, options)) {
            ImageCopy copy = new ImageCopy(reader, writer, options, progress);
            try {
                return copy.run(reference(from), reference(to).isEmpty() ? reference(from) : reference(to));
            } finally {
                copy.blobWorkers.shutdownNow();
            }
        }
    }

    private static ImageSource source(ImageLocation location, CopyOptions options) throws IOException {
        if (location instanceof ImageLocation.OciLayout layout) return new OciLayoutEndpoint(layout);
        if (location instanceof ImageLocation.DockerArchive archive) return DockerArchiveSource.open(archive);
        return registry((ImageLocation.Registry) location, options, true);
    }

    private static ImageDestination destination(ImageLocation location, CopyOptions options) throws IOException {
        if (location instanceof ImageLocation.OciLayout layout) return new OciLayoutEndpoint(layout);
        if (location instanceof ImageLocation.DockerArchive archive) return new DockerArchiveDestination(archive);
        return registry((ImageLocation.Registry) location, options, false);
    }

    private static RegistryEndpoint registry(ImageLocation.Registry registry, CopyOptions options, boolean isSource)
            throws IOException {
        Optional<Credentials> given = isSource ? options.sourceAuth() : options.destinationAuth();
        Optional<Credentials> credentials = given.isPresent() ? given
                : Credentials.stored(registry.host(), options.environment());
        boolean tlsVerify = isSource ? options.sourceTlsVerify() : options.destinationTlsVerify();
        Optional<Path> certDir = isSource ? options.sourceCertDir() : options.destinationCertDir();
        // A certificate directory asks for verification, on loopback too; --*-tls-verify=false still wins.
        boolean insecure = !tlsVerify || (isLoopback(registry.host()) && certDir.isEmpty());
        Optional<SSLContext> verified = insecure || certDir.isEmpty() ? Optional.empty()
                : Optional.of(CertDirectory.context(certDir.get()));
        return new RegistryEndpoint(registry,
                new RegistryApi(registry.host(), insecure, verified, credentials, options.retry()));
    }

    /** Docker's rule: a registry on loopback is reached over plain HTTP without asking. */
    static boolean isLoopback(String host) {
        String name = host.startsWith("[") ? host.substring(1, host.indexOf(']')) : host.replaceFirst(":\\d+$", "");
        return name.equals("localhost") || name.startsWith("127.") || name.equals("::1");
    }

    private static String reference(ImageLocation location) {
        if (location instanceof ImageLocation.Registry registry) return registry.reference();
        if (location instanceof ImageLocation.DockerArchive archive) return archive.name().orElse("");
        return ((ImageLocation.OciLayout) location).tag().orElse("");
    }

    private Result run(String sourceReference, String destinationReference) throws IOException {
        Fetched top = source.manifest(sourceReference);
        Manifest parsed = parse(top);
        if (parsed.isIndex() && options.all() && !destination.holdsIndexes()) {
            throw new CopyException("the destination holds one image, and " + top.digest()
                    + " is an index: choose a platform instead of --all");
        }
        if (parsed.isIndex() && !options.all()) {
            Digest chosen = platformImage(top);
            top = source.manifest(chosen.toString());
            parsed = parse(top);
        }
        copyManifest(top, parsed, destinationReference);
        return new Result(top.digest(), sent.get(), skipped.get(), mounted.get());
    }

    private void copyManifest(Fetched fetched, Manifest manifest, String reference) throws IOException {
        for (Descriptor child : manifest.manifests()) {
            Fetched childFetched = source.manifest(child.digest().toString());
            copyManifest(childFetched, parse(childFetched), child.digest().toString());
        }
        List<Future<?>> blobs = new ArrayList<>();
        for (Descriptor blob : manifest.blobReferences()) blobs.add(blobWorkers.submit(() -> copyBlob(blob)));
        for (Future<?> blob : blobs) await(blob);
        destination.putManifest(reference, fetched);
        if (options.withReferrers()) {
            for (Digest referrer : source.referrers(fetched.digest())) {
                Fetched artifact = source.manifest(referrer.toString());
                copyManifest(artifact, parse(artifact), referrer.toString());
            }
        }
    }

    private Void copyBlob(Descriptor blob) throws IOException {
        Digest digest = blob.digest();
        if (destination.hasBlob(digest)) {
            skipped.incrementAndGet();
            progress.blobDone(digest, blob.size(), "skipped");
            return null;
        }
        Optional<ImageLocation.Registry> from = source.registry();
        if (from.isPresent() && destination instanceof RegistryEndpoint target && target.host().equals(from.get().host())
                && destination.mount(digest, from.get())) {
            mounted.incrementAndGet();
            progress.blobDone(digest, blob.size(), "mounted");
            return null;
        }
        for (int attempt = 1; ; attempt++) {
            try (InputStream content = source.blob(digest)) {
                destination.putBlob(digest, blob.size(), content);
                sent.incrementAndGet();
                progress.blobDone(digest, blob.size(), "sent");
                return null;
            } catch (CopyException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= options.retry().attempts()) throw e;
                Retry.sleep(options.retry().pause(attempt, Optional.empty()));
            }
        }
    }

    private Digest platformImage(Fetched index) throws IOException {
        String wanted = options.platform().orElse("linux/amd64");
        for (JsonNode entry : JSON.readTree(index.bytes()).path("manifests")) {
            JsonNode platform = entry.path("platform");
            String name = platform.path("os").asText() + "/" + platform.path("architecture").asText()
                    + (platform.hasNonNull("variant") ? "/" + platform.path("variant").asText() : "");
            if (name.equals(wanted) || name.startsWith(wanted + "/")) return Digest.parse(entry.path("digest").asText());
        }
        throw new CopyException("the index " + index.digest() + " has no image for " + wanted + " (use --all)");
    }

    private static Manifest parse(Fetched fetched) {
        return ManifestParser.parse(fetched.bytes(), Optional.of(new MediaType(fetched.mediaType())), fetched.digest());
    }

    private static void await(Future<?> future) throws IOException {
        try {
            future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw new IOException("copying a blob failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
