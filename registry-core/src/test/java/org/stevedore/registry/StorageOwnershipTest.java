package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.memory.CloseCountingDriver;

/**
 * Who closes a storage driver: the builder's caller owns a driver it passed in, so a registry
 * never closes it (nodes and successive registries may share one); the registry closes only the
 * default driver it made itself.
 */
class StorageOwnershipTest {
    private static int get(Registry registry) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/_catalog")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void closingTheRegistryLeavesAGivenDriverOpenForTheNextOne() throws Exception {
        try (CloseCountingDriver driver = new CloseCountingDriver()) {
            RegistryBuilder builder = Registry.builder().storage(driver);
            try (Registry first = builder.start()) {
                first.fixtures().pushImage("team/app", "v1", 64);
            }
            assertEquals(0, driver.closes(), "the registry closed a driver it was given");
            try (Registry second = builder.start()) {
                assertEquals(200, get(second));
                assertTrue(second.contents().tags("team/app").contains("v1"), "the second registry serves the same storage");
            }
            assertEquals(0, driver.closes());
        }
    }

    @Test
    void twoRegistriesShareOneDriverAndOneClosingDoesNotStopTheOther() throws Exception {
        try (CloseCountingDriver driver = new CloseCountingDriver();
             Registry a = Registry.builder().storage(driver).start()) {
            Registry b = Registry.builder().storage(driver).start();
            b.close();
            assertEquals(200, get(a));
            assertEquals(0, driver.closes());
        }
    }
}
