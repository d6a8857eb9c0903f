package org.stevedore.storage.s3;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.tck.StorageFaultContract;

/**
 * The registry over a failing S3 driver (fresh root per seed; redirects off, so blob bytes pass
 * through the registry and the decorator). The store's own failures are {@link S3FaultTest}'s.
 */
class S3StorageFaultTest extends StorageFaultContract {

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @Override
    protected StorageDriver newDriver() {
        return S3Driver.create(S3.settings().withRedirect(false));
    }

    @Override
    protected void closeDriver(StorageDriver driver) {
        ((S3Driver) driver).close();
    }

    @Override
    protected int defaultSeeds() {
        return 4;
    }
}
