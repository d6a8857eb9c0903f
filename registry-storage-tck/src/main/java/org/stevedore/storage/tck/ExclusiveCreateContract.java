package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link org.stevedore.storage.StorageDriver#createSmall}, the exclusive create that nodes sharing
 * a store coordinate by (the garbage collection lease): it creates only where nothing is, never
 * replaces, and of concurrent creators of one path exactly one wins and its bytes are the file's.
 * Extend {@code StorageDriverContract}, not this class.
 */
public abstract class ExclusiveCreateContract extends ListingContract {

    @Test
    void createSmallCreatesOnlyWhereNothingIs() throws Exception {
        String file = path("lease/1");
        assertTrue(driver.createSmall(file, utf8("first")));
        assertArrayEquals(utf8("first"), driver.readSmall(file, 100));
        assertFalse(driver.createSmall(file, utf8("second")), "a second create of one path must fail");
        assertArrayEquals(utf8("first"), driver.readSmall(file, 100), "a failed create must not replace");
        assertEquals(List.of(file), driver.list(path("lease")), "a failed create leaves nothing beside the file");
        driver.delete(file);
        assertTrue(driver.createSmall(file, utf8("third")), "a deleted file may be created again");
        assertArrayEquals(utf8("third"), driver.readSmall(file, 100));
    }

    @Test
    void createSmallOverAFileWrittenOtherwiseFails() throws Exception {
        String file = path("written");
        driver.writeSmall(file, utf8("plain"));
        assertFalse(driver.createSmall(file, utf8("other")));
        assertArrayEquals(utf8("plain"), driver.readSmall(file, 100));
    }

    @Test
    void exactlyOneOfConcurrentCreatorsWins() throws Exception {
        int creators = 8;
        for (int round = 0; round < 5; round++) {
            String file = path("race/" + round);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(creators);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int c = 0; c < creators; c++) {
                    byte[] bytes = utf8("creator " + c);
                    results.add(pool.submit(() -> {
                        start.await();
                        return driver.createSmall(file, bytes);
                    }));
                }
                start.countDown();
                int winner = -1;
                for (int c = 0; c < creators; c++) {
                    if (results.get(c).get(60, TimeUnit.SECONDS)) {
                        assertEquals(-1, winner, "two creators of " + file + " won: " + winner + " and " + c);
                        winner = c;
                    }
                }
                assertTrue(winner >= 0, "no creator of " + file + " won");
                assertArrayEquals(utf8("creator " + winner), driver.readSmall(file, 100), "the winner's bytes are the file");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
