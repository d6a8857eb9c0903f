package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;

/** distribution's {@code auth} section wired to registry-auth, as the real server does it. */
class ConfiguredAuthTest {
    @TempDir
    Path temp;

    @Test
    void htpasswdPathThatIsNoFileYetLetsNobodyInUntilTheFileAppears() throws Exception {
        // Debian's shipped config.yml points auth.htpasswd.path at a directory.
        Path file = temp.resolve("htpasswd");
        AccessController controller = new ConfiguredAuth().create(new AuthConfig.Htpasswd("basic-realm", file));
        Credentials alice = basic("alice", "wonderland");

        Decision before = controller.authorize(alice, List.of());
        assertEquals("Basic realm=\"basic-realm\"",
                assertInstanceOf(Decision.Unauthenticated.class, before).challenge().headerValue());

        Files.writeString(file, "alice:" + BCrypt.hashpw("wonderland", BCrypt.gensalt(4)) + "\n");
        long deadline = System.nanoTime() + 30_000_000_000L;
        Decision after = controller.authorize(alice, List.of());
        while (!(after instanceof Decision.Allowed) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            after = controller.authorize(alice, List.of());
        }
        assertEquals(new Decision.Allowed(Optional.of("alice")), after);
    }

    private static Credentials basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Credentials(Optional.of("Basic " + token), "127.0.0.1");
    }
}
