package org.stevedore.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.storage.ContentLostException;
import org.stevedore.storage.WriteConflictException;
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
 * The PUT is conditional on the placeholder the writer opened ({@link ConditionalWrites}), so of
 * two writers continuing one state only one commits.
 *
 * <p>The first read or move of the file {@link #materialize materializes} it: the tail is copied
 * server side as the last part and the upload completed, which replaces the placeholder with the
 * content at once. The completion too is conditional on the placeholder read, so it never
 * completes a state that a writer has replaced meanwhile (it reads the new one and completes that),
 * and it names each part's committed ETag, so a part that a losing writer overwrote makes it fail
 * ({@link ContentLostException}) instead of publishing other bytes.
 */
final class PendingFiles {
    /** The user metadata that marks a placeholder; its value is the file's size. */
    static final String METADATA = "stevedore-pending-size";
    /** How many newer states a reader completes before it gives up on a file that keeps changing. */
    private static final int MAX_ATTEMPTS = 8;

    private final S3Driver driver;

    /** A committed state and the ETag of the placeholder that holds it. */
    record Committed(PendingState state, String etag) {
    }

    PendingFiles(S3Driver driver) {
        this.driver = driver;
    }

    /** The size a placeholder's metadata records, if the object is one. */
    static Optional<Long> pendingSize(Map<String, String> metadata) {
        String size = metadata == null ? null : metadata.get(METADATA);
        return size == null ? Optional.empty() : Optional.of(Long.parseLong(size));
    }

    /** The committed state of the file at {@code path}, if it is pending. */
    Optional<Committed> read(String path) throws IOException {
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
        return Optional.of(new Committed(PendingState.fromJson(bytes.asByteArray()), bytes.response().eTag()));
    }

    /**
     * Commits {@code state}: one PUT of the placeholder, only while the file is still the object
     * with ETag {@code etag} (or absent, for null).
     *
     * @throws WriteConflictException if another writer committed first
     */
    void write(String path, PendingState state, String etag) throws WriteConflictException {
        var put = driver.put(driver.keys().file(path)).toBuilder()
                .metadata(Map.of(METADATA, Long.toString(state.size()))).build();
        driver.conditional().put(path, put, etag, RequestBody.fromBytes(state.toJson()));
    }

    /**
     * Completes the upload of a pending file with its tail as the last part (copied server side),
     * then removes the writer state and the tail. Idempotent: a second node doing the same finds
     * the upload completed (see {@link MultipartUploads#complete}). Where a writer committed a newer
     * state meanwhile, completes that one instead.
     *
     * @throws ContentLostException if a part no longer has the committed bytes
     */
    void materialize(String path, Committed committed) throws IOException {
        Committed current = committed;
        for (int attempt = 1; !complete(path, current); attempt++) {
            Optional<Committed> next = read(path);
            if (next.isEmpty()) return; // completed by another reader
            if (attempt == MAX_ATTEMPTS) {
                throw new WriteConflictException("s3: " + path + " kept changing while it was being completed");
            }
            current = next.get();
        }
        removeLeftovers(path, current.state());
    }

    /** Completes the upload as {@code committed} says; false if the placeholder changed meanwhile. */
    private boolean complete(String path, Committed committed) throws IOException {
        PendingState state = committed.state();
        String key = driver.keys().file(path);
        List<WriterState.Part> parts = new ArrayList<>(state.parts());
        try {
            if (state.tailSize() > 0) {
                parts.addAll(driver.multipart().copy(driver.keys().tail(path, state.tailName()), state.tailSize(), key,
                        state.uploadId(), MultipartUploads.TAIL_PART, null));
            }
            try {
                driver.multipart().complete(key, state.uploadId(), parts, driver.conditional().supported() ? committed.etag() : null);
            } catch (SdkException e) {
                if (!ConditionalWrites.refused(e)) throw e;
                driver.multipart().complete(key, state.uploadId(), parts, null); // logged on the first refused PUT
            }
            return true;
        } catch (SdkException e) {
            if (ConditionalWrites.partOverwritten(e)) {
                throw new ContentLostException("s3: a part of " + path + " was overwritten by a writer that did not commit", e);
            }
            // The placeholder changed (412/409), or its tail or upload are gone (404): read again.
            if (ConditionalWrites.lostRace(e)) return false;
            throw e;
        }
    }

    /** Deletes the writer state and the committed tail of a file that is no longer pending. */
    void removeLeftovers(String path, PendingState state) {
        driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().writerState(path)));
        if (state.tailSize() > 0) deleteTail(path, state.tailName());
    }

    void deleteTail(String path, String tailName) {
        driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().tail(path, tailName)));
    }
}
