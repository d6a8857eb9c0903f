package org.stevedore.storage.s3;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Finds and aborts the multipart uploads below the driver's root that nothing will finish: those of
 * hidden writes ({@link S3HiddenWriter}) whose node died before it recorded them, or whose session
 * was removed by a tool that does not read writer states. Run by garbage collection through
 * {@link S3Driver#sweepTemporaryFiles}, with a cutoff of at least an hour.
 *
 * <p>An upload is left alone while it may still be in use: started or sent a part at or after the
 * cutoff, or named by the writer state or the placeholder of its own file (an append writer's upload,
 * which stays open across PATCHes for as long as its upload session lives; deleting the session
 * aborts it). A hidden write in progress keeps its state beside its staging path, not beside its
 * key, so it is protected by its age alone: the cutoff must exceed the longest push, as the blob
 * grace period must.
 *
 * <p>A store that refuses {@code ListMultipartUploads} is logged once and skipped; the bucket's
 * lifecycle rule for incomplete uploads is then what removes such uploads.
 */
final class StaleUploads {
    private static final Logger LOG = LoggerFactory.getLogger(StaleUploads.class);

    private final S3Driver driver;
    private volatile boolean refused;

    StaleUploads(S3Driver driver) {
        this.driver = driver;
    }

    /** Aborts the stale uploads (see the class); how many. */
    int sweep(Instant cutoff) throws IOException {
        if (refused) return 0;
        String bucket = driver.settings().bucket();
        String prefix = driver.keys().directory("/");
        int aborted = 0;
        String keyMarker = null;
        String idMarker = null;
        ListMultipartUploadsResponse page;
        do {
            String keyFrom = keyMarker;
            String idFrom = idMarker;
            try {
                page = driver.client().listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)
                        .keyMarker(keyFrom).uploadIdMarker(idFrom));
            } catch (SdkException e) {
                if (S3Errors.isStatus(e, 501) || S3Errors.isStatus(e, 400)) {
                    refused = true;
                    LOG.info("s3: the store refuses to list multipart uploads ({}); stale uploads are left to the"
                            + " bucket's lifecycle", e.getMessage());
                    return aborted;
                }
                throw S3Errors.translate("sweep", "/", e);
            }
            for (MultipartUpload upload : page.uploads()) {
                if (isStale(upload, cutoff)) {
                    driver.multipart().abortQuietly(upload.key(), upload.uploadId());
                    aborted++;
                }
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        } while (Boolean.TRUE.equals(page.isTruncated()));
        return aborted;
    }

    private boolean isStale(MultipartUpload upload, Instant cutoff) throws IOException {
        if (upload.initiated() == null || !upload.initiated().isBefore(cutoff)) return false;
        String path = driver.keys().path(upload.key());
        if (upload.uploadId().equals(ownWriterUpload(path).orElse(null))) return false;
        Optional<PendingFiles.Committed> pending = S3Errors.call("sweep", path, () -> driver.pending().read(path));
        if (pending.isPresent() && pending.get().state().uploadId().equals(upload.uploadId())) return false;
        return !sentPartSince(upload, cutoff);
    }

    /** The upload id the writer state beside the file at {@code path} names, if there is one. */
    private Optional<String> ownWriterUpload(String path) throws IOException {
        String stateKey = driver.keys().writerState(path);
        try {
            byte[] json = driver.client().getObjectAsBytes(b -> b.bucket(driver.settings().bucket()).key(stateKey)).asByteArray();
            return Optional.of(WriterState.fromJson(json).uploadId());
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) return Optional.empty();
            throw S3Errors.translate("sweep", path, e);
        }
    }

    private boolean sentPartSince(MultipartUpload upload, Instant cutoff) {
        try {
            for (Part part : driver.client().listPartsPaginator(b -> b.bucket(driver.settings().bucket())
                    .key(upload.key()).uploadId(upload.uploadId())).parts()) {
                if (part.lastModified() != null && !part.lastModified().isBefore(cutoff)) return true;
            }
            return false;
        } catch (SdkException e) {
            return true; // gone meanwhile, or unknown: leave it to the next sweep
        }
    }
}
