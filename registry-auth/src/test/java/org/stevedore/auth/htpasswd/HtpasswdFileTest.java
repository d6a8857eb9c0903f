package org.stevedore.auth.htpasswd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** htpasswd files as Apache's tool writes them, and the lines this module must refuse. */
class HtpasswdFileTest {
    @TempDir
    Path temp;

    /** Runs Debian's {@code htpasswd} (apache2-utils; scripts/test installs it). */
    private String apache(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("htpasswd"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "htpasswd did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 10})
    void acceptsFilesWrittenByApacheHtpasswd(int cost) throws Exception {
        Path file = temp.resolve("htpasswd");
        apache("-cbB", "-C", String.valueOf(cost), file.toString(), "alice", "s3cret pass");
        apache("-bB", "-C", String.valueOf(cost), file.toString(), "bob", "hunter2");
        HtpasswdFile users = HtpasswdFile.read(file);
        assertEquals(2, users.size());
        assertEquals(cost, users.maxCost());
        String alice = users.hashOf("alice").orElseThrow();
        assertTrue(alice.startsWith(String.format("$2y$%02d$", cost)), alice);
        assertTrue(Bcrypt.verify("s3cret pass", alice));
        assertFalse(Bcrypt.verify("s3cret pas", alice));
        assertTrue(Bcrypt.verify("hunter2", users.hashOf("bob").orElseThrow()));
    }

    @Test
    void acceptsEvery2xPrefixOfTheSameHash() throws Exception {
        String line = apache("-nbB", "-C", "5", "carol", "pw").strip();
        String hash = line.substring(line.indexOf(':') + 1);
        for (String prefix : List.of("$2y$", "$2a$", "$2b$")) {
            String variant = prefix + hash.substring(4);
            HtpasswdFile users = HtpasswdFile.parse(Path.of("mem"), List.of("# comment", "", "carol:" + variant));
            assertTrue(Bcrypt.verify("pw", users.hashOf("carol").orElseThrow()), prefix);
            assertFalse(Bcrypt.verify("wrong", users.hashOf("carol").orElseThrow()), prefix);
        }
    }

    @Test
    void hashesWrittenHereVerifyWithApacheHtpasswd() throws Exception {
        Path file = temp.resolve("mine");
        Files.writeString(file, "dave:" + Bcrypt.hash("correct horse", 5) + "\n");
        apache("-vb", file.toString(), "dave", "correct horse");
        Process wrong = new ProcessBuilder("htpasswd", "-vb", file.toString(), "dave", "wrong").redirectErrorStream(true).start();
        wrong.getInputStream().readAllBytes();
        assertTrue(wrong.waitFor(60, TimeUnit.SECONDS));
        assertTrue(wrong.exitValue() != 0, "a wrong password must not verify");
    }

    @Test
    void otherHashFormatsStopLoadingWithFileAndLine() throws Exception {
        Path file = temp.resolve("mixed");
        apache("-cbB", "-C", "5", file.toString(), "alice", "pw");
        apache("-bm", file.toString(), "md5user", "pw"); // Apache MD5, $apr1$
        HtpasswdFormatException e = assertThrows(HtpasswdFormatException.class, () -> HtpasswdFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
        assertTrue(e.getMessage().contains("md5user") && e.getMessage().contains("MD5"), e.getMessage());
        assertTrue(e.getMessage().contains("htpasswd -B"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "u:plaintext", "u:$1$abc$def", "no-colon",
            "u:$2y$03$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", "u:$2x$05$short"})
    void refusesLinesThatAreNotBcrypt(String line) {
        HtpasswdFormatException e = assertThrows(HtpasswdFormatException.class,
                () -> HtpasswdFile.parse(Path.of("/etc/registry/htpasswd"), List.of("ok:" + Bcrypt.hash("x", 4), line)));
        assertTrue(e.getMessage().startsWith("/etc/registry/htpasswd:2: "), e.getMessage());
    }
}
