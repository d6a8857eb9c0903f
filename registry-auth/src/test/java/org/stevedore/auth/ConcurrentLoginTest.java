package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.auth.htpasswd.HtpasswdAccessController;
import org.stevedore.registry.Registry;

/**
 * A client that opens many connections at once with credentials not yet verified (wrk, docker's
 * parallel layer uploads) must cost one bcrypt check, not one per connection: at cost 10 that
 * is the difference between 0.1 s and seconds of CPU before the first answer.
 */
class ConcurrentLoginTest {
    private static final int CLIENTS = 16;

    @TempDir
    Path temp;

    @Test
    void simultaneousFirstRequestsWithTheSameCredentialsShareOneBcryptCheck() throws Exception {
        Path file = Files.writeString(temp.resolve("htpasswd"), "alice:" + Bcrypt.hash("s3cret", 8) + "\n");
        HtpasswdAccessController controller = (HtpasswdAccessController)
                AuthConfigurations.htpasswd(file, "Registry Realm", Optional.empty());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try (Registry registry = Registry.builder().accessController(controller).start()) {
            assertEquals(List.of(200), statuses(registry, pool, AuthHttp.basic("alice", "s3cret")));
            assertEquals(1, controller.authenticator().bcryptChecks(), "one check for " + CLIENTS + " requests");
            // Wrong passwords are never cached, but concurrent ones are still refused, every one.
            assertEquals(List.of(401), statuses(registry, pool, AuthHttp.basic("alice", "guess")));
        } finally {
            pool.shutdownNow();
        }
    }

    /** The distinct statuses of {@link #CLIENTS} requests released at the same moment, each on its own connection. */
    private static List<Integer> statuses(Registry registry, ExecutorService pool, String authorization) throws Exception {
        CountDownLatch ready = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            AuthHttp http = new AuthHttp(registry);
            answers.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return http.get("/v2/", authorization).statusCode();
            }));
        }
        ready.await();
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            int status = answer.get();
            if (!statuses.contains(status)) statuses.add(status);
        }
        return statuses;
    }
}
