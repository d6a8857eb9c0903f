package org.stevedore.launcher;

import java.util.Map;
import org.stevedore.storage.StorageDriver;

/**
 * Makes the S3 storage driver from distribution's {@code storage.s3} parameters, as written
 * (the S3 module checks them, e.g. {@code S3DriverSettings.fromParameters}); the seam where
 * registry-storage-s3 plugs in. {@link #UNAVAILABLE} refuses to start.
 */
@FunctionalInterface
interface S3StorageFactory {
    S3StorageFactory UNAVAILABLE = (parameters, redirectDisabled) -> {
        throw new ConfigException("storage.s3 is configured, but this build of Stevedore has no S3 driver;"
                + " use storage.filesystem or storage.inmemory");
    };

    /**
     * @param parameters       {@code storage.s3.*}: region, bucket, credentials, endpoint, ...
     * @param redirectDisabled {@code storage.redirect.disable}: serve blobs instead of redirecting to S3
     */
    StorageDriver create(Map<String, Object> parameters, boolean redirectDisabled) throws Exception;
}
