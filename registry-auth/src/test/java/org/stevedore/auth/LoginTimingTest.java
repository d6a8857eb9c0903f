package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.registry.Registry;

/**
 * An unknown user name must cost as much as a wrong password, or the time of a 401 tells an
 * attacker which names exist. Medians of interleaved attempts (a load spike hits both kinds
 * alike; which goes first alternates). A round passes when unknown/wrong lies within 0.7..1.4;
 * one of up to five rounds must pass, so a busy machine does not fail it, while a missing dummy
 * check (measured: ratio 0.23..0.37 at this cost) fails every round.
 */
class LoginTimingTest {
    private static final int COST = 7;
    private static final int ATTEMPTS = 30;
    private static final int ROUNDS = 5;

    @TempDir
    Path temp;

    @Test
    void unknownUserTakesAsLongAsAWrongPassword() throws Exception {
        Path htpasswd = Files.writeString(temp.resolve("htpasswd"), "alice:" + Bcrypt.hash("s3cret", COST) + "\n");
        try (Registry registry = Registry.builder()
                .accessController(AuthConfigurations.htpasswd(htpasswd, "Registry Realm", Optional.empty())).start()) {
            AuthHttp http = new AuthHttp(registry);
            String wrongPassword = AuthHttp.basic("alice", "not-s3cret");
            String unknownUser = AuthHttp.basic("mallory", "not-s3cret");
            for (int i = 0; i < 5; i++) { // warm up the JIT and connections for both paths
                http.get("/v2/", wrongPassword);
                http.get("/v2/", unknownUser);
            }
            List<String> rounds = new ArrayList<>();
            boolean indistinguishable = false;
            for (int round = 0; round < ROUNDS && !indistinguishable; round++) {
                long[] wrong = new long[ATTEMPTS];
                long[] unknown = new long[ATTEMPTS];
                for (int i = 0; i < ATTEMPTS; i++) {
                    if (i % 2 == 0) {
                        wrong[i] = timed(http, wrongPassword);
                        unknown[i] = timed(http, unknownUser);
                    } else {
                        unknown[i] = timed(http, unknownUser);
                        wrong[i] = timed(http, wrongPassword);
                    }
                }
                double wrongMs = median(wrong) / 1e6;
                double unknownMs = median(unknown) / 1e6;
                double ratio = unknownMs / wrongMs;
                rounds.add(String.format(Locale.ROOT, "round %d: wrong-password median %.2f ms, unknown-user median"
                        + " %.2f ms, ratio %.2f", round + 1, wrongMs, unknownMs, ratio));
                indistinguishable = ratio >= 0.7 && ratio <= 1.4;
            }
            System.out.println("FIGURES: login timing, bcrypt cost " + COST + ", " + ATTEMPTS
                    + " interleaved attempts each: " + String.join("; ", rounds));
            assertTrue(indistinguishable, "unknown users are distinguishable by time: " + rounds);
        }
    }

    private static long timed(AuthHttp http, String authorization) {
        long start = System.nanoTime();
        int status = http.get("/v2/", authorization).statusCode();
        long elapsed = System.nanoTime() - start;
        assertEquals(401, status);
        return elapsed;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
