package org.stevedore.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link S3Driver#delete}: a file, or every object below a directory in batched deletes of one
 * listing page each. A writer's state object met below the directory names a multipart upload
 * still open there (see {@link WriterState}), which is aborted first: nothing else would ever
 * complete or abort it, and its parts would cost storage until the bucket's lifecycle expired them.
 */
final class S3TreeDeletion {
    private final S3Client client;
    private final String bucket;
    private final S3Keys keys;
    private final S3Listing listing;
    private final MultipartUploads multipart;

    S3TreeDeletion(S3Client client, String bucket, S3Keys keys, S3Listing listing, MultipartUploads multipart) {
        this.client = client;
        this.bucket = bucket;
        this.keys = keys;
        this.listing = listing;
        this.multipart = multipart;
    }

    /** Deletes the file at {@code path} and everything below it as a directory; a missing path is fine. */
    void delete(String path) {
        client.deleteObject(b -> b.bucket(bucket).key(keys.file(path)));
        String token = null;
        do {
            ListObjectsV2Response page = client.listObjectsV2(listing.request(keys.directory(path), null, token, S3Listing.PAGE));
            List<ObjectIdentifier> doomed = new ArrayList<>();
            for (S3Object object : page.contents()) {
                if (S3Keys.isWriterState(object.key())) abortWriter(object.key());
                doomed.add(ObjectIdentifier.builder().key(object.key()).build());
            }
            if (!doomed.isEmpty()) {
                client.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(doomed).quiet(true)));
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
    }

    /** Aborts the upload of a writer that will never finish (its files are being deleted). */
    private void abortWriter(String stateKey) {
        try {
            byte[] json = client.getObjectAsBytes(b -> b.bucket(bucket).key(stateKey)).asByteArray();
            WriterState state = WriterState.fromJson(json);
            multipart.abortQuietly(state.uploadKey(stateKey), state.uploadId());
        } catch (IOException | SdkException e) {
            // The state object is deleted with the rest; an orphaned upload is the bucket lifecycle's to expire.
        }
    }
}
