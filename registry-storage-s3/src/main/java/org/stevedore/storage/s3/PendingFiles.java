package org.stevedore.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Files whose multipart upload stays open between appends, so that a chunked upload sends each
 * byte once instead of rewriting the object at every PATCH.
 *
 * <p>Such a file's key holds a small placeholder: user metadata {@value #METADATA} carries the
 * file's size (so stat stays one HEAD) and the body is its {@link PendingState}. Writing the
 * placeholder is the commit: one PUT, atomic, after the parts and the tail it names were stored,
 * so a crash at any point leaves the previous commit intact (unreferenced parts are replaced by the
 * next writer or discarded on completion; an unreferenced tail is deleted with its directory).
 * The first read or move of the file {@link #materialize materializes} it: the tail is copied
 * server side as the last part and the upload completed, which replaces the placeholder with the
 * content at once.
 */
final class PendingFiles {
    /** The user metadata that marks a placeholder; its value is the file's size. */
    static final String METADATA = "stevedore-pending-size";

    private final S3Driver driver;

    PendingFiles(S3Driver driver) {
        this.driver = driver;
    }

    /** The size a placeholder's metadata records, if the object is one. */
    static Optional<Long> pendingSize(Map<String, String> metadata) {
        String size = metadata == null ? null : metadata.get(METADATA);
        return size == null ? Optional.empty() : Optional.of(Long.parseLong(size));
    }

    /** The committed state of the file at {@code path}, if it is pending. */
    Optional<PendingState> read(String path) throws IOException {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            // A HEAD first: never download a completed file's content to find it is not pending.
            var head = driver.client().headObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().file(path)));
            if (pendingSize(head.metadata()).isEmpty()) return Optional.empty();
            bytes = driver.client().getObjectAsBytes(b -> b.bucket(driver.settings().bucket()).key(driver.keys().file(path)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) return Optional.empty();
            throw e;
        }
        if (pendingSize(bytes.response().metadata()).isEmpty()) return Optional.empty();
        return Optional.of(PendingState.fromJson(bytes.asByteArray()));
    }

    /** Commits {@code state}: one PUT of the placeholder. */
    void write(String path, PendingState state) {
        var put = driver.put(driver.keys().file(path)).toBuilder()
                .metadata(Map.of(METADATA, Long.toString(state.size()))).build();
        driver.client().putObject(put, RequestBody.fromBytes(state.toJson()));
    }

    /**
     * Completes the upload of a pending file with its tail as the last part (copied server side),
     * then removes the writer state and the tail. Idempotent: a second node doing the same finds
     * the upload completed (see {@link MultipartUploads#complete}).
     */
    void materialize(String path, PendingState state) throws IOException {
        String key = driver.keys().file(path);
        List<WriterState.Part> parts = new ArrayList<>(state.parts());
        String tail = driver.keys().tail(path, state.tailGeneration());
        if (state.tailSize() > 0) {
            try {
                parts.addAll(driver.multipart().copy(tail, state.tailSize(), key, state.uploadId(), parts.size() + 1));
            } catch (SdkException e) {
                // Another node completed the upload between our read and the copy.
                if (!S3Errors.isNotFound(e)) throw e;
                if (read(path).isEmpty()) return;
                throw e;
            }
        }
        driver.multipart().complete(key, state.uploadId(), parts);
        removeLeftovers(path, state);
    }

    /** Deletes the writer state and the committed tail of a file that is no longer pending. */
    void removeLeftovers(String path, PendingState state) {
        driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().writerState(path)));
        if (state.tailSize() > 0) {
            driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().tail(path, state.tailGeneration())));
        }
    }
}
