package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.stevedore.service.RegistryService;
import org.stevedore.service.UploadLimits;
import org.stevedore.storage.StorageDriver;

/**
 * The store a configuration names, opened for a command that works on storage directly (import,
 * export): the configuration is read exactly as {@code serve} reads it (file or
 * {@code REGISTRY_CONFIGURATION_PATH}, then {@code REGISTRY_*}), its warnings go to standard error.
 */
final class ConfiguredStore implements AutoCloseable {
    private final RegistryConfig config;
    private final StorageDriver driver;
    private final RegistryService service;

    private ConfiguredStore(RegistryConfig config, StorageDriver driver) {
        this.config = config;
        this.driver = driver;
        this.service = RegistryService.over(driver, config.limits().manifestBytes(), config.limits().pageSize(),
                UploadLimits.DEFAULT);
    }

    static ConfiguredStore open(Optional<Path> file, Map<String, String> environment, PrintWriter err) throws Exception {
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
        return new ConfiguredStore(config, StorageDrivers.open(config.storage(), new ConfiguredS3()));
    }

    RegistryConfig config() {
        return config;
    }

    RegistryService service() {
        return service;
    }

    @Override
    public void close() {
        RegistryServer.closeDriver(driver);
    }
}
