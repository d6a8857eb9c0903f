package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.auth.htpasswd.HtpasswdFile;
import picocli.CommandLine;

/** {@code stevedore htpasswd} through the real command tree. */
class HtpasswdCommandTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> 0);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void printsABcryptLineWithClusteredFlags() {
        assertEquals(0, run("htpasswd", "-Bbn", "alice", "s3cret"), err.toString());
        String line = out.toString().strip();
        assertTrue(line.startsWith("alice:$2y$05$"), line);
        assertTrue(Bcrypt.verify("s3cret", line.substring("alice:".length())));
        assertFalse(Bcrypt.verify("s3cre", line.substring("alice:".length())));
    }

    @Test
    void costIsChosenWithC() {
        assertEquals(0, run("htpasswd", "-Bbn", "-C", "7", "bob", "pw"), err.toString());
        assertTrue(out.toString().startsWith("bob:$2y$07$"), out.toString());
        assertEquals(2, run("htpasswd", "-Bbn", "-C", "3", "bob", "pw"));
        assertTrue(err.toString().contains("-C must be 4..31"), err.toString());
    }

    @Test
    void wrongArgumentsAreUsageErrors() {
        assertEquals(2, run("htpasswd", "-Bbn", "alice"));
        assertEquals(2, run("htpasswd", "-Bbn", "al:ice", "pw"));
        assertEquals(2, run("htpasswd", "-Bn", "alice", "pw"));
    }

    @Test
    void createsAndUpdatesAFile() throws Exception {
        Path file = temp.resolve("htpasswd");
        assertEquals(0, run("htpasswd", "-cBb", file.toString(), "alice", "one"), err.toString());
        assertEquals(0, run("htpasswd", "-Bb", file.toString(), "bob", "two"), err.toString());
        assertEquals(0, run("htpasswd", "-Bb", file.toString(), "alice", "three"), err.toString());
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        HtpasswdFile users = HtpasswdFile.read(file);
        assertTrue(Bcrypt.verify("three", users.hashOf("alice").orElseThrow()));
        assertTrue(Bcrypt.verify("two", users.hashOf("bob").orElseThrow()));
        assertTrue(err.toString().contains("Updating password for user alice"), err.toString());
        assertEquals(1, run("htpasswd", "-Bb", temp.resolve("missing").toString(), "x", "y"));
    }
}
