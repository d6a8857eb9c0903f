package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.stevedore.service.RegistryService;
import org.stevedore.service.UploadLimits;
import org.stevedore.storage.StorageDriver;

/**
 * The storage a command works on (retention, usage, verify, delete-repository, import, export),
 * configured exactly as {@code serve} would configure it: the same loader (config.yml or
 * {@code REGISTRY_CONFIGURATION_PATH}, then {@code REGISTRY_*}), the same driver, the same limits
 * and policies. Warnings go to the given writer. Closing releases the driver (S3 connections).
 */
final class ConfiguredStore implements AutoCloseable {
    private final RegistryConfig config;
    private final StorageDriver driver;
    private final RegistryService service;

    private ConfiguredStore(RegistryConfig config, StorageDriver driver) {
        this.config = config;
        this.driver = driver;
        LimitsConfig limits = config.limits();
        this.service = RegistryService.over(driver, limits.manifestBytes(), limits.pageSize(),
                new UploadLimits(limits.uploadSessions(), limits.uploadIdle()),
                config.policies().guard(driver, limits.manifestBytes()));
    }

    /** Loads the configuration (warnings to {@code err}) and opens its storage. */
    static ConfiguredStore open(Optional<Path> file, Map<String, String> environment, S3StorageFactory s3,
                                PrintWriter err) throws Exception {
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(file, environment);
        } catch (ConfigException e) {
            throw new ConfigException("configuration error: " + e.getMessage(), e);
        }
        for (String warning : loaded.warnings()) err.println("warning: " + warning);
        err.flush();
        RegistryConfig config = loaded.config();
        if (config.storage().driver() instanceof StorageConfig.Driver.InMemory) {
            throw new ConfigException("storage is inmemory: there is no store outside a running server to work on");
        }
        return new ConfiguredStore(config, StorageDrivers.open(config.storage(), s3));
    }

    RegistryConfig config() {
        return config;
    }

    RegistryService service() {
        return service;
    }

    StorageDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        RegistryServer.closeDriver(driver);
    }
}
