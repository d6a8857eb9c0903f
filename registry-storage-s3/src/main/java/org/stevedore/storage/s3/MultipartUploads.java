package org.stevedore.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The multipart calls the driver makes, in one place: start (with the storage class and encryption
 * of every written object), upload a part from a buffer without copying it, copy a range of an
 * existing object as parts (server side), complete and abort.
 */
final class MultipartUploads {
    private static final Logger LOG = LoggerFactory.getLogger(MultipartUploads.class);
    /** S3's largest single copy; larger objects are copied as several parts. */
    static final long MAX_COPY_PART_BYTES = 5L * 1024 * 1024 * 1024;
    /**
     * The part number a pending file's tail takes when a reader completes its upload: the highest
     * S3 allows (numbers need not be consecutive), so a reader never overwrites a part that a
     * writer continuing the upload at the same time sends (writers number theirs from 1 up).
     */
    static final int TAIL_PART = 10_000;

    private final S3Client client;
    private final S3DriverSettings settings;

    MultipartUploads(S3Client client, S3DriverSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    private boolean withChecksums() {
        return settings.requestChecksums() == S3DriverSettings.ChecksumMode.WHEN_SUPPORTED;
    }

    String start(String key) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket()).key(key);
        settings.storageClass().ifPresent(c -> request.storageClass(StorageClass.fromValue(c)));
        if (settings.encrypt()) {
            request.serverSideEncryption(settings.keyId().isPresent() ? ServerSideEncryption.AWS_KMS : ServerSideEncryption.AES256);
            settings.keyId().ifPresent(request::ssekmsKeyId);
        }
        // Name the algorithm up front so the parts' checksums are kept and checked on completion.
        if (withChecksums()) request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        return client.createMultipartUpload(request.build()).uploadId();
    }

    /** Uploads {@code body} ({@code length} bytes, rereadable on retries) as part {@code number}. */
    WriterState.Part upload(String key, String uploadId, int number, RequestBody body, int length) {
        UploadPartResponse response = client.uploadPart(b -> {
            b.bucket(settings.bucket()).key(key).uploadId(uploadId).partNumber(number).contentLength((long) length);
            if (withChecksums()) b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }, body);
        return new WriterState.Part(number, response.eTag(), length, nonNull(response.checksumCRC32()));
    }

    /**
     * Copies {@code [0, size)} of {@code sourceKey} as parts starting at {@code firstNumber}, each
     * at most 5 GiB and all of equal size, so none falls under S3's minimum part size when
     * {@code size} itself is at least that; with {@code sourceEtag}, only while the source still
     * has that ETag (else 412).
     */
    List<WriterState.Part> copy(String sourceKey, long size, String key, String uploadId, int firstNumber,
                                String sourceEtag) {
        int count = (int) ((size + MAX_COPY_PART_BYTES - 1) / MAX_COPY_PART_BYTES);
        long partSize = (size + count - 1) / count;
        List<WriterState.Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long first = i * partSize;
            long last = Math.min(size, first + partSize) - 1;
            int number = firstNumber + i;
            CopyPartResult result = client.uploadPartCopy(b -> b
                    .sourceBucket(settings.bucket()).sourceKey(sourceKey)
                    .destinationBucket(settings.bucket()).destinationKey(key)
                    .uploadId(uploadId).partNumber(number).copySourceIfMatch(sourceEtag)
                    .copySourceRange("bytes=" + first + "-" + last)).copyPartResult();
            parts.add(new WriterState.Part(number, result.eTag(), last - first + 1, nonNull(result.checksumCRC32())));
        }
        return parts;
    }

    /**
     * Completes the upload with exactly {@code parts} (S3 refuses with 400 InvalidPart a part whose
     * ETag is no longer the one given); with {@code ifMatch}, only while the object at {@code key}
     * still has that ETag (else 412).
     */
    void complete(String key, String uploadId, List<WriterState.Part> parts, String ifMatch) {
        // Part checksums go to the completion for every part or for none. S3 answers each
        // UploadPart and UploadPartCopy of an upload started with an algorithm with the part's
        // checksum, so there all parts have one. S3Proxy (4.1) answers none for UploadPartCopy,
        // and one for UploadPart only when the SDK sent it as a header, that is with
        // chunkedencoding off (with aws-chunked bodies it travels as a trailer S3Proxy does not
        // echo); it takes the upload's algorithm from the parts of the completion and then demands
        // it for each (400 InvalidRequest "... It was missing for part 2"). An upload with a
        // copied tail or copied head thus mixed parts with and without one and could not complete.
        boolean checksums = withChecksums() && parts.stream().noneMatch(p -> p.crc32().isEmpty());
        List<CompletedPart> completed = new ArrayList<>();
        for (WriterState.Part part : parts) {
            CompletedPart.Builder b = CompletedPart.builder().partNumber(part.number()).eTag(part.etag());
            if (checksums) b.checksumCRC32(part.crc32());
            completed.add(b.build());
        }
        try {
            client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId).ifMatch(ifMatch)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            // A retry after a lost response finds the upload gone (NoSuchUpload, 404) although the
            // first attempt completed it: the object then has exactly the parts' bytes.
            if (!S3Errors.isNotFound(e) || !completedAlready(key, parts)) throw e;
        }
    }

    private boolean completedAlready(String key, List<WriterState.Part> parts) {
        long expected = parts.stream().mapToLong(WriterState.Part::size).sum();
        try {
            return client.headObject(b -> b.bucket(settings.bucket()).key(key)).contentLength() == expected;
        } catch (SdkException e) {
            return false;
        }
    }

    /** Aborts, logging instead of throwing: it runs on paths that already report another outcome. */
    void abortQuietly(String key, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) LOG.warn("s3: could not abort a multipart upload of {}: {}", key, e.getMessage());
        }
    }

    /**
     * Copies a whole object server side, replacing {@code targetKey} at once: one CopyObject up to
     * 5 GiB, above that a multipart copy ({@link #copyLarge}). With the configured storage class and
     * encryption, as every written object.
     */
    void copyWhole(String sourceKey, long size, String targetKey) throws IOException {
        if (size > MAX_COPY_PART_BYTES) {
            copyLarge(sourceKey, size, targetKey);
            return;
        }
        CopyObjectRequest.Builder copy = CopyObjectRequest.builder()
                .sourceBucket(settings.bucket()).sourceKey(sourceKey)
                .destinationBucket(settings.bucket()).destinationKey(targetKey);
        settings.storageClass().ifPresent(c -> copy.storageClass(StorageClass.fromValue(c)));
        if (settings.encrypt()) {
            copy.serverSideEncryption(settings.keyId().isPresent() ? ServerSideEncryption.AWS_KMS : ServerSideEncryption.AES256);
            settings.keyId().ifPresent(copy::ssekmsKeyId);
        }
        client.copyObject(copy.build());
    }

    /** Copies a whole object of any size server side, replacing {@code targetKey} at once on completion. */
    void copyLarge(String sourceKey, long size, String targetKey) throws IOException {
        String uploadId = start(targetKey);
        try {
            complete(targetKey, uploadId, copy(sourceKey, size, targetKey, uploadId, 1, null), null);
        } catch (SdkException e) {
            abortQuietly(targetKey, uploadId);
            throw e;
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
