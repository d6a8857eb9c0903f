package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.tck.StorageDriverContract;

/** The shared storage contract, on the S3 driver against a real S3 server, in a fresh root per test. */
class S3DriverContractTest extends StorageDriverContract {

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @Override
    protected StorageDriver newDriver() {
        return S3Driver.create(S3.settings());
    }

    @Override
    protected void closeDriver(StorageDriver driver) {
        ((S3Driver) driver).close();
    }

    @Test
    void isNamedS3() {
        assertEquals("s3", driver.name());
    }
}
