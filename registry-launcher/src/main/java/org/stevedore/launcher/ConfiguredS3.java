package org.stevedore.launcher;

import java.util.Map;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.s3.S3Driver;
import org.stevedore.storage.s3.S3DriverSettings;

/** The {@link S3StorageFactory} of the real server: distribution's {@code storage.s3} on registry-storage-s3. */
final class ConfiguredS3 implements S3StorageFactory {
    @Override
    public StorageDriver create(Map<String, Object> parameters, boolean redirectDisabled) {
        S3DriverSettings settings;
        try {
            settings = S3DriverSettings.fromParameters(parameters);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage.s3: " + e.getMessage());
        }
        // The driver owns pooled HTTP connections and threads; RegistryServer.close releases them.
        return S3Driver.create(settings.withRedirect(!redirectDisabled));
    }
}
