package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.storage.AppendWriter;

/**
 * A store that refuses conditional writes with 501 NotImplemented (older S3-compatible servers):
 * the writer's commit is sent again without its condition, so appends keep working there, only
 * without the guard against two nodes committing one upload at once; later commits go
 * unconditional straight away.
 */
class S3UnconditionalStoreTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static final String FILE = "/docker/registry/v2/repositories/r/_uploads/u1/data";

    @Test
    void aRefusedConditionIsDroppedAndTheCommitStillLands() throws Exception {
        try (FaultProxy proxy = new FaultProxy(S3.requireEndpoint().uri());
             S3Driver driver = S3Driver.create(S3.settingsWith(Map.of("regionendpoint", proxy.endpoint().toString())))) {
            // The writer's HEAD passes; its conditional PUT meets a store that does not implement it.
            proxy.inject(FaultProxy.PASS, new FaultProxy.Fault.Status(501, "NotImplemented"));
            try (AppendWriter writer = driver.append(FILE)) {
                writer.write(ByteBuffer.wrap("first".getBytes(StandardCharsets.UTF_8)));
                writer.commit();
            }
            List<String> first = proxy.takeLog();
            assertEquals(0, proxy.pendingFaults(), () -> "the 501 was met: " + first);
            assertEquals(2, first.stream().filter(r -> r.startsWith("PUT ")).count(), () -> "refused, then sent plain: " + first);

            try (AppendWriter writer = driver.append(FILE)) {
                writer.write(ByteBuffer.wrap("+second".getBytes(StandardCharsets.UTF_8)));
                writer.commit();
            }
            List<String> second = proxy.takeLog();
            assertEquals(1, second.stream().filter(r -> r.startsWith("PUT ")).count(), () -> "no condition tried again: " + second);
            assertArrayEquals("first+second".getBytes(StandardCharsets.UTF_8), driver.readSmall(FILE, 100));
            assertTrue(driver.statFile(FILE).isPresent());
            assertFalse(driver.stat(FILE).orElseThrow().isDirectory());
        }
    }

    /** The collection lease needs If-None-Match: refused, the create says so (and each node collects alone). */
    @Test
    void anExclusiveCreateTheStoreRefusesIsUnsupported() throws Exception {
        try (FaultProxy proxy = new FaultProxy(S3.requireEndpoint().uri());
             S3Driver driver = S3Driver.create(S3.settingsWith(Map.of("regionendpoint", proxy.endpoint().toString())))) {
            proxy.inject(new FaultProxy.Fault.Status(501, "NotImplemented"));
            assertThrows(UnsupportedOperationException.class, () -> driver.createSmall("/docker/lease", new byte[1]));
            assertFalse(driver.statFile("/docker/lease").isPresent());
        }
    }
}
