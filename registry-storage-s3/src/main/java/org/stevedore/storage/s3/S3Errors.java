package org.stevedore.storage.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.stevedore.storage.StorageUnavailableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns SDK failures into the driver contract's exceptions: a missing key becomes
 * {@link NoSuchFileException}, anything else (after the SDK's retries) a
 * {@link StorageUnavailableException}, which the HTTP layer answers with 503. Messages carry the
 * path and the store's status and error code, never a URL or credential.
 */
final class S3Errors {
    private S3Errors() {
    }

    /** A call to the store that may fail with an SDK exception. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    /** Runs {@code call}, translating SDK exceptions for {@code path}. */
    static <T> T call(String operation, String path, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw translate(operation, path, e);
        } catch (UncheckedIOException e) {
            throw new StorageUnavailableException("s3: " + operation + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    static boolean isNotFound(SdkException e) {
        return e instanceof SdkServiceException s && s.statusCode() == 404;
    }

    static boolean isStatus(SdkException e, int status) {
        return e instanceof SdkServiceException s && s.statusCode() == status;
    }

    static IOException translate(String operation, String path, SdkException e) {
        if (isNotFound(e)) {
            NoSuchFileException missing = new NoSuchFileException(path);
            missing.initCause(e);
            return missing;
        }
        String status = e instanceof SdkServiceException s ? " (status " + s.statusCode() + ")" : "";
        String code = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? " " + a.awsErrorDetails().errorCode() : "";
        return new StorageUnavailableException("s3: " + operation + " " + path + " failed" + status + code, e);
    }
}
