package org.stevedore.storage.fs;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.http.CatalogIndexScenario;
import org.stevedore.storage.StorageDriver;

/** Two registries over one shared directory; see {@link CatalogIndexScenario}. */
class FilesystemCatalogIndexTest extends CatalogIndexScenario {
    @TempDir
    Path shared;

    @Override
    protected StorageDriver newNodeDriver() {
        return FilesystemDriver.at(shared);
    }
}
