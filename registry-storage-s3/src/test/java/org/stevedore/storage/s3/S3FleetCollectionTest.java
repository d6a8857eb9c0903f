package org.stevedore.storage.s3;

import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.http.FleetCollectionScenario;
import org.stevedore.storage.StorageDriver;

/** Three registries over one S3Proxy bucket, each collecting online; see {@link FleetCollectionScenario}. */
class S3FleetCollectionTest extends FleetCollectionScenario {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private S3DriverSettings shared;

    @Override
    protected StorageDriver newNodeDriver() {
        if (shared == null) shared = S3.settings().withRedirect(false); // one root directory for every node
        return S3Driver.create(shared);
    }

    @Override
    protected Duration gracePeriod() {
        return Duration.ofSeconds(5); // longer than a push here, plus S3's one-second modification times
    }

    @Override
    protected Duration run() {
        return Duration.ofSeconds(20);
    }

    @Override
    protected Duration lease() {
        return Duration.ofSeconds(10); // a step of a collection is a few S3 requests, slow on a loaded machine
    }

    @Override
    protected void closeNodeDriver(StorageDriver driver) {
        ((S3Driver) driver).close();
    }
}
