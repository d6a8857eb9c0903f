package org.stevedore.storage.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.FileTooLargeException;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.StorageUnavailableException;
import org.stevedore.storage.WriteConflictException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Storage in an S3 or S3-compatible bucket. Files are objects; directories exist while objects lie
 * below them, as in S3 itself, also on stores that keep empty directories (see {@link S3Listing}).
 * Each operation costs as few round trips as the contract allows: a file's stat is one HEAD, a
 * read one GET (ranged from an offset), a listing pages of 1,000 keys.
 *
 * <p>Writers buffer at most one part ({@code chunksize}, in off-heap blocks of a {@link BlockPool}
 * shared by the driver's writers) and stream larger files as multipart
 * uploads. Once a part is out, the upload stays open across commits (a placeholder object records
 * it, see {@link PendingFiles}) and a later writer on any node continues it; the first read
 * ({@code open}, {@code readSmall}) or {@code move} completes it server side, while {@code stat}
 * reads the size from the placeholder. Only deleting a directory aborts open uploads (the registry
 * deletes uploads as directories and completes blobs by moving them before serving or redirecting
 * them); see {@link S3AppendWriter}.
 *
 * <p>Failures of the store (after the SDK's retries with backoff) surface as
 * {@link org.stevedore.storage.StorageUnavailableException}, which the HTTP layer answers with 503.
 * Thread-safe; {@link #close()} releases the HTTP connections and threads; its creator calls it.
 */
public final class S3Driver implements StorageDriver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Driver.class);
    /** How long the registry may trust a stat of this store (public: tests wait this long for deletes elsewhere). */
    public static final java.time.Duration PRESENCE_CACHE_TTL = java.time.Duration.ofSeconds(5);

    /** Parts the driver's writers may send in the background at once, each in a buffer ({@link PartSender}). */
    static final int MAX_PARTS_IN_FLIGHT = 4;

    private final S3DriverSettings settings;
    private final SdkHttpClient httpClient;
    private final S3Client client;
    private final S3Presigner presigner;
    private final S3Keys keys;
    private final MultipartUploads multipart;
    private final PendingFiles pending;
    private final ConditionalWrites conditional;
    private final S3Listing listing;
    private final S3TreeDeletion deletion;
    /** Part buffers' blocks, shared by this driver's writers; two parts' worth stay pooled when idle. */
    private final BlockPool blocks;
    /** Sends writers' parts in the background, a bounded number at once across the driver. */
    private final PartSender partSender;
    private final StaleUploads staleUploads;

    private S3Driver(S3DriverSettings settings) {
        this.settings = settings;
        this.httpClient = S3Clients.httpClient(settings);
        this.client = S3Clients.client(settings, httpClient);
        this.presigner = S3Clients.presigner(settings);
        this.keys = new S3Keys(settings.rootDirectory());
        this.multipart = new MultipartUploads(client, settings);
        this.pending = new PendingFiles(this);
        this.conditional = new ConditionalWrites(client);
        this.listing = new S3Listing(client, settings.bucket(), keys);
        this.deletion = new S3TreeDeletion(client, settings.bucket(), keys, listing, multipart);
        this.blocks = new BlockPool(2L * settings.chunkSizeBytes());
        this.partSender = new PartSender(MAX_PARTS_IN_FLIGHT);
        this.staleUploads = new StaleUploads(this);
    }

    /** A driver over the bucket the settings name. Makes no request until used. */
    public static S3Driver create(S3DriverSettings settings) {
        return new S3Driver(settings);
    }

    /** The settings this driver was made with. */
    public S3DriverSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        return belowFile("stat", path, Optional.empty(), () -> {
            Optional<FileInfo> file = headFile(path);
            return file.isPresent() ? file : listing.firstBelow(path).map(o -> new FileInfo(path, 0, o.lastModified(), true));
        });
    }

    @Override
    public Optional<FileInfo> statFile(String path) throws IOException {
        return belowFile("stat", path, Optional.empty(), () -> headFile(path)); // one HEAD: no listing for a directory
    }

    private Optional<FileInfo> headFile(String path) {
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(settings.bucket()).key(keys.file(path)));
            long size = PendingFiles.pendingSize(head.metadata()).orElse(head.contentLength());
            return Optional.of(new FileInfo(path, size, head.lastModified(), false));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) throw e;
            return Optional.empty();
        }
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        return belowFile("read", path, null, () -> {
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(settings.bucket()).key(keys.file(path)))) {
                if (PendingFiles.pendingSize(in.response().metadata()).isPresent()) {
                    pending.materialize(path, new PendingFiles.Committed(PendingState.fromJson(in.readAllBytes()), in.response().eTag()));
                    return readSmall(path, maxBytes);
                }
                long length = in.response().contentLength();
                if (length > maxBytes) {
                    in.abort(); // do not drain a large object just to reuse the connection
                    throw new FileTooLargeException(path, maxBytes);
                }
                return in.readAllBytes();
            }
        });
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        // One PUT replaces an object atomically: readers see the old or the new bytes.
        S3Errors.call("write", path, () -> client.putObject(put(keys.file(path)), RequestBody.fromBytes(bytes)));
    }

    @Override
    public boolean createSmall(String path, byte[] bytes) throws IOException {
        return S3Errors.call("create", path, () -> conditional.create(put(keys.file(path)), RequestBody.fromBytes(bytes)));
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        return belowFile("open", path, null, () -> {
            for (int attempt = 0; ; attempt++) {
                boolean first = attempt == 0;
                try {
                    ResponseInputStream<GetObjectResponse> in = client.getObject(b -> {
                        b.bucket(settings.bucket()).key(keys.file(path));
                        if (offset > 0) b.range("bytes=" + offset + "-");
                    });
                    if (PendingFiles.pendingSize(in.response().metadata()).isPresent()) {
                        // A placeholder: complete the upload, then read the content (again if a
                        // writer on another node committed a new placeholder in between).
                        in.abort();
                        if (attempt == 3) throw new WriteConflictException("s3: " + path + " kept changing while it was read");
                        materializeIfPending(path);
                        continue;
                    }
                    long length = in.response().contentLength();
                    return new Content.OfStream(new ObjectStream(in, length), length);
                } catch (SdkException e) {
                    // 416: the offset is at or past the end; only a HEAD tells which.
                    if (!S3Errors.isStatus(e, 416)) throw e;
                }
                if (first && materializeIfPending(path)) continue;
                long size = stat(path).filter(i -> !i.isDirectory()).orElseThrow(() -> new NoSuchFileException(path)).size();
                if (offset == size) return new Content.OfStream(InputStream.nullInputStream(), 0);
                throw new EOFException(path + ": offset " + offset + " is past the end (" + size + " bytes)");
            }
        });
    }

    /** Completes the open upload of a pending file, if it is one; whether it was. */
    private boolean materializeIfPending(String path) throws IOException {
        Optional<PendingFiles.Committed> state = pending.read(path);
        if (state.isEmpty()) return false;
        pending.materialize(path, state.get());
        return true;
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        return S3Errors.call("append", path, () -> S3AppendWriter.open(this, path));
    }

    /** Straight to {@code path}'s key, hidden until commit ({@link S3HiddenWriter}, {@link StreamedPut}): no copy follows. */
    @Override
    public HiddenWriter writeHidden(String path, String stagingPath, java.util.OptionalLong size) throws IOException {
        return S3Errors.call("write", path, () -> S3HiddenWriter.open(this, path, stagingPath, size));
    }

    @Override
    public void move(String from, String to) throws IOException {
        S3Errors.call("move", from, () -> {
            String source = keys.file(from);
            String target = keys.file(to);
            HeadObjectResponse head = client.headObject(b -> b.bucket(settings.bucket()).key(source));
            if (PendingFiles.pendingSize(head.metadata()).isPresent() && materializeIfPending(from)) {
                head = client.headObject(b -> b.bucket(settings.bucket()).key(source));
            }
            multipart.copyWhole(source, head.contentLength(), target);
            client.deleteObject(b -> b.bucket(settings.bucket()).key(source));
            return null;
        });
    }

    @Override
    public void delete(String path) throws IOException {
        belowFile("delete", path, (Void) null, () -> {
            deletion.delete(path);
            return null;
        });
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return belowFile("list", directory, List.of(), () -> listing.list(directory));
    }

    /** One paged listing, a request per 1,000 keys, instead of a HEAD per child ({@link S3Listing#inEachChild}). */
    @Override
    public List<FileInfo> statInEachChild(String directory, String relativePath) throws IOException {
        return belowFile("list", directory, List.of(), () -> listing.inEachChild(directory, relativePath));
    }

    /**
     * Delimited listings from {@code StartAfter}, about one request for a page (see
     * {@link S3Listing#page}). On stores that keep objects as files, an empty directory a killed
     * PUT left may be listed as a child here, as a delimited listing shows it.
     */
    @Override
    public List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        return belowFile("list", directory, List.of(), () -> listing.page(directory, startAfter, limit));
    }

    /**
     * On S3 one paged listing for thousands of directories ({@link S3Listing#markedByDelimiter}).
     * A store that refuses its delimiter (400, as S3Proxy's filesystem backend does) is
     * remembered ({@link S3Listing}) and walked with one delimited listing per directory
     * ({@link S3Listing#markedDirectories}). (Against S3Proxy on a loaded 2-core machine, for 5,000
     * repositories: that walk 19.6-24.9 s; the same listings in parallel 39.7 s; one flat listing
     * jumping over each repository's internals 91 s, as S3Proxy reads the whole tree per page.)
     */
    @Override
    public Map<String, Set<String>> listDirectoriesWithChildStartingWith(String directory, String childPrefix)
            throws IOException {
        if (!S3Errors.call("list", directory, listing::keepsObjectsAsFiles)) {
            try {
                return belowFile("list", directory, Map.of(), () -> listing.markedByDelimiter(directory, childPrefix));
            } catch (StorageUnavailableException e) {
                if (!(e.getCause() instanceof SdkException sdk) || !S3Errors.isStatus(sdk, 400)) throw e;
                listing.refusedDelimiter();
                LOG.info("s3: the store refuses a listing delimiter other than '/'; listing directories one by one");
            }
        }
        return belowFile("list", directory, Map.of(), () -> listing.markedDirectories(directory, childPrefix));
    }

    /** Aborts multipart uploads nothing will finish ({@link StaleUploads}); every PUT itself is atomic. */
    @Override
    public int sweepTemporaryFiles(java.time.Instant cutoff) throws IOException {
        return staleUploads.sweep(cutoff);
    }

    /**
     * Five seconds: every stat is a round trip here, and a registry node may then serve a blob
     * deleted through another node for at most that long (see the core's presence cache).
     */
    @Override
    public java.time.Duration presenceCacheTtl() {
        return PRESENCE_CACHE_TTL;
    }

    @Override
    public Optional<URI> redirect(String path) throws IOException {
        if (!settings.redirect()) return Optional.empty();
        try {
            String url = presigner.presignGetObject(p -> p.signatureDuration(settings.redirectExpiry())
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(keys.file(path)))).url().toString();
            return Optional.of(new URI(url));
        } catch (URISyntaxException | SdkException e) {
            throw new IOException("s3: could not presign a URL for " + path, e);
        }
    }

    /**
     * Releases the pooled HTTP connections and the SDK's threads (the pool's idle-connection
     * reaper, the call-timeout scheduler). Whoever created the driver closes it, after every
     * registry serving it has closed: a {@link org.stevedore.registry.Registry} never closes a
     * driver it was given. Idempotent.
     */
    @Override
    public void close() {
        partSender.close();
        presigner.close();
        client.close();
        httpClient.close(); // the SDK leaves a client it did not build open
    }

    /**
     * Runs {@code call}; where it fails with a server error, checks whether an ancestor of
     * {@code path} is a file. Stores that keep objects as files (S3Proxy's filesystem backend,
     * MinIO) answer 500 for a key below a file, where S3 would say "not found"; the registry's layout
     * never puts a file below a file, so the extra HEADs happen only on this error path.
     *
     * @param missing what the operation returns for a missing path; {@code null} means it throws
     *     {@link NoSuchFileException}
     */
    private <T> T belowFile(String operation, String path, T missing, S3Errors.Call<T> call) throws IOException {
        try {
            return S3Errors.call(operation, path, call);
        } catch (StorageUnavailableException e) {
            if (!(e.getCause() instanceof SdkServiceException s) || s.statusCode() < 500
                    || !ancestorIsFile(path)) {
                throw e;
            }
            if (missing == null && !operation.equals("delete")) throw new NoSuchFileException(path);
            return missing;
        }
    }

    private boolean ancestorIsFile(String path) {
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            String ancestor = keys.file(path.substring(0, slash));
            try {
                client.headObject(b -> b.bucket(settings.bucket()).key(ancestor));
                return true;
            } catch (SdkException e) {
                if (!S3Errors.isNotFound(e)) return false;
            }
        }
        return false;
    }

    // ---- for S3AppendWriter

    S3Client client() {
        return client;
    }

    S3Keys keys() {
        return keys;
    }

    MultipartUploads multipart() {
        return multipart;
    }

    PendingFiles pending() {
        return pending;
    }

    ConditionalWrites conditional() {
        return conditional;
    }

    BlockPool blocks() {
        return blocks;
    }

    PartSender partSender() {
        return partSender;
    }

    /** A PUT of {@code key} with the configured storage class and encryption. */
    PutObjectRequest put(String key) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(settings.bucket()).key(key);
        settings.storageClass().ifPresent(c -> put.storageClass(StorageClass.fromValue(c)));
        if (settings.encrypt()) {
            put.serverSideEncryption(settings.keyId().isPresent() ? ServerSideEncryption.AWS_KMS : ServerSideEncryption.AES256);
            settings.keyId().ifPresent(put::ssekmsKeyId);
        }
        return put.build();
    }

}
