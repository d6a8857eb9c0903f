package org.stevedore.storage.s3;

import java.util.function.Supplier;
import org.stevedore.storage.StorageDriver;

/**
 * Storage for registry-core's HTTP suite when this module runs it (system property
 * {@code stevedore.test.storage}): each registry the suite starts gets an {@link S3Driver} over a
 * fresh root directory in the shared test bucket.
 */
public final class S3StorageForCoreTests implements Supplier<StorageDriver> {
    private final S3ProxyExtension s3 = new S3ProxyExtension();

    @Override
    public StorageDriver get() {
        try {
            s3.beforeAll(null);
        } catch (Exception e) {
            throw new IllegalStateException("no S3 endpoint for the HTTP suite", e);
        }
        return S3Driver.create(s3.settings().withRedirect(false));
    }
}
