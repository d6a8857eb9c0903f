package org.stevedore.storage.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.storage.WriteConflictException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The commits of appending writers, as writes the store makes only if the object is still the
 * one the writer opened: {@code If-Match: <etag>} (or {@code If-None-Match: *} for a file that did
 * not exist). Of two writers that opened one version of a file (two registry nodes appending to
 * one upload at one offset) the store lets exactly one commit; the other gets 412 (or 409 while
 * the first is in flight) and becomes a {@link WriteConflictException}, leaving the winner's
 * commit intact. The condition costs no request: the writer remembers the ETag of the HEAD or GET
 * it opened the file with. A crash before the conditional write leaves nothing to clean up.
 *
 * <p>A store that refuses conditional writes (501 NotImplemented) is logged once and written to
 * unconditionally from then on, as before this guard existed (concurrent appends through several
 * nodes are then unguarded).
 */
final class ConditionalWrites {
    private static final Logger LOG = LoggerFactory.getLogger(ConditionalWrites.class);

    private final S3Client client;
    private volatile boolean supported = true;

    ConditionalWrites(S3Client client) {
        this.client = client;
    }

    /** Whether the store takes conditional writes (until it first refuses one). */
    boolean supported() {
        return supported;
    }

    /**
     * PUTs {@code put} only if the object's ETag is still {@code etag}, or only if it does not
     * exist when {@code etag} is null.
     *
     * @throws WriteConflictException if another writer changed (or removed) the object first
     */
    void put(String path, PutObjectRequest put, String etag, RequestBody body) throws WriteConflictException {
        PutObjectRequest.Builder conditional = put.toBuilder();
        if (etag == null) conditional.ifNoneMatch("*");
        else conditional.ifMatch(etag);
        try {
            client.putObject(supported ? conditional.build() : put, body);
        } catch (SdkException e) {
            if (lostRace(e)) throw conflict(path, e);
            if (!supported || !refused(e)) throw e;
            supported = false;
            LOG.warn("s3: the store refuses conditional writes (If-Match); concurrent appends to one upload"
                    + " through several registry nodes are not guarded");
            client.putObject(put, body);
        }
    }

    /**
     * PUTs {@code put} only if no object is at its key ({@code If-None-Match: *}): false if one
     * is, or if another conditional write of the key is in flight (409), whose outcome is not
     * this call's to wait for.
     *
     * @throws UnsupportedOperationException if the store refuses conditional writes
     */
    boolean create(PutObjectRequest put, RequestBody body) {
        try {
            client.putObject(put.toBuilder().ifNoneMatch("*").build(), body);
            return true;
        } catch (SdkException e) {
            if (S3Errors.isStatus(e, 412) || S3Errors.isStatus(e, 409)) return false;
            if (refused(e)) throw new UnsupportedOperationException("s3: the store refuses If-None-Match writes", e);
            throw e;
        }
    }

    /**
     * Whether {@code e} says that what a writer opened has changed: 412 (the ETag no longer
     * matches), 409 (another conditional write of the key is in flight), 404 (the object, its
     * tail or its multipart upload is gone: completed, aborted or deleted meanwhile) or 416 (a
     * server-side copy of the committed bytes found the object shorter: it is a placeholder now;
     * stores check the range before {@code x-amz-copy-source-if-match}).
     */
    static boolean lostRace(SdkException e) {
        return S3Errors.isStatus(e, 412) || S3Errors.isStatus(e, 409) || S3Errors.isNotFound(e) || S3Errors.isStatus(e, 416);
    }

    /** Whether {@code e} is a refused conditional header (the store does not implement it). */
    static boolean refused(SdkException e) {
        return S3Errors.isStatus(e, 501);
    }

    /** Whether completing an upload failed because a part's ETag is not the one committed. */
    static boolean partOverwritten(SdkException e) {
        return S3Errors.isStatus(e, 400) && e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && "InvalidPart".equals(a.awsErrorDetails().errorCode());
    }

    static WriteConflictException conflict(String path, SdkException cause) {
        String code = cause instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? " (" + a.awsErrorDetails().errorCode() + ")" : "";
        return new WriteConflictException("s3: " + path + " was changed by another writer" + code, cause);
    }
}
