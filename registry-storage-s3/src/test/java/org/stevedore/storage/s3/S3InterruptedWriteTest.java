package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write cut off mid-request (the registry killed while its PUT was on the wire) leaves no trace
 * in listings. Stores that keep objects as files (S3Proxy's filesystem backend) create the key's
 * directories before they read the body and keep them when it never comes; listed, such an empty
 * directory is a manifest revision without a link, or an upload session nothing can purge.
 */
class S3InterruptedWriteTest {
    private static final String REVISIONS = "/docker/registry/v2/repositories/r/_manifests/revisions/sha256";

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private FaultProxy proxy;
    private S3Driver driver;

    @BeforeEach
    void start() throws IOException {
        proxy = new FaultProxy(S3.requireEndpoint().uri());
        driver = S3Driver.create(S3.settingsWith(Map.of("regionendpoint", proxy.endpoint().toString(), "maxretries", 0)));
    }

    @AfterEach
    void stop() throws IOException {
        driver.close();
        proxy.close();
    }

    @Test
    void aWriteCutOffMidRequestMakesNoDirectoryAppear() throws IOException {
        driver.writeSmall(REVISIONS + "/aa/link", "sha256:aa".getBytes(StandardCharsets.UTF_8));
        proxy.inject(FaultProxy.CUT);
        assertThrows(IOException.class, () -> driver.writeSmall(REVISIONS + "/bb/link", "sha256:bb".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, proxy.faults(), "the write was cut off");

        assertEquals(List.of(REVISIONS + "/aa"), driver.list(REVISIONS));
        assertEquals(Optional.empty(), driver.stat(REVISIONS + "/bb"));
        assertEquals(List.of("/docker/registry/v2/repositories/r/_manifests/revisions"),
                driver.list("/docker/registry/v2/repositories/r/_manifests"));
    }

    @Test
    void anUploadSessionCutOffAtItsStartIsNotListed() throws IOException {
        String uploads = "/docker/registry/v2/repositories/r/_uploads";
        driver.writeSmall(uploads + "/kept/startedat", "2026-01-01T00:00:00Z".getBytes(StandardCharsets.UTF_8));
        proxy.inject(FaultProxy.CUT);
        assertThrows(IOException.class, () -> driver.writeSmall(uploads + "/cut/startedat", new byte[20]));

        assertEquals(List.of(uploads + "/kept"), driver.list(uploads));
        driver.delete(uploads + "/kept");
        assertEquals(List.of(), driver.list(uploads), "nothing left that purging could not remove");
    }

    @Test
    void aRepositoryWhoseFirstWriteWasCutOffIsNotInTheCatalog() throws IOException {
        String repositories = "/docker/registry/v2/repositories";
        driver.writeSmall(repositories + "/kept/_layers/sha256/aa/link", "sha256:aa".getBytes(StandardCharsets.UTF_8));
        proxy.inject(FaultProxy.CUT);
        assertThrows(IOException.class, () -> driver.writeSmall(repositories + "/cut/_layers/sha256/bb/link",
                "sha256:bb".getBytes(StandardCharsets.UTF_8)));

        var catalog = org.stevedore.service.RegistryService.over(driver).catalog()
                .list(new org.stevedore.service.PageRequest(java.util.OptionalInt.empty(), Optional.empty()), name -> true);
        assertEquals(List.of("kept"), catalog.items());
    }
}
