package org.stevedore.storage.s3;

import java.util.Map;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.StorageDriverFactory;

/**
 * {@code storage.s3} for launchers that find drivers with {@link java.util.ServiceLoader}
 * (registered in {@code META-INF/services}): the packaged server keeps this module and the AWS
 * SDK out of its class path and loads them only when S3 storage is configured.
 */
public final class S3DriverFactory implements StorageDriverFactory {
    @Override
    public String name() {
        return "s3";
    }

    @Override
    public StorageDriver create(Map<String, Object> parameters, boolean redirectDisabled) {
        return S3Driver.create(S3DriverSettings.fromParameters(parameters).withRedirect(!redirectDisabled));
    }
}
