package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.LoggerFactory;
import org.stevedore.auth.htpasswd.HtpasswdSource;
import org.stevedore.registry.Registry;

/**
 * Issue 16 item 7, through serve and HTTP: a reload that finds a bad line or no file keeps the
 * last good users and warns with the file and line; at start, a missing or bad file lets
 * nobody in until fixed, and {@code serve --check} fails on it, each in words.
 */
class HtpasswdReloadTest {
    /** What {@code htpasswd -b} (no -B) writes: Apache's MD5, which distribution does not accept either. */
    private static final String MD5_LINE = "carol:$apr1$kDa0Yyaj$0hn3RmvmqpmBZeqhrlQxA/";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final InProcessServe serve = new InProcessServe();
    @TempDir
    Path temp;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger sourceLogger = (Logger) LoggerFactory.getLogger(HtpasswdSource.class);

    @BeforeEach
    void captureWarnings() {
        log.start();
        sourceLogger.addAppender(log);
    }

    @AfterEach
    void release() {
        sourceLogger.detachAppender(log);
    }

    @Test
    void aBadLineOrAMissingFileKeepsTheLastGoodUsersAndWarnsUntilFixed() throws Exception {
        Path htpasswd = Files.writeString(temp.resolve("htpasswd"), line("alice", "alice-pw") + line("bob", "bob-pw"));
        Registry registry = serve.start(env(htpasswd), "--addr", "127.0.0.1:0");
        assertEquals(200, ping(registry, "alice", "alice-pw"));

        changeTo(htpasswd, line("alice", "alice-pw") + MD5_LINE + "\n");
        assertEquals(200, ping(registry, "alice", "alice-pw"), "alice still logs in");
        assertEquals(200, ping(registry, "bob", "bob-pw"), "bob too, from the last good file, until it is fixed");
        assertTrue(warnings().contains(htpasswd + ":2: user carol has a MD5 ($apr1$) hash; only bcrypt ($2y$, $2a$,"
                + " $2b$) is supported: recreate it with htpasswd -B; still using the version loaded before (2 users)"
                + " until it is fixed"), warnings().toString());

        changeTo(htpasswd, line("alice", "alice-pw") + line("carol", "carol-pw"));
        assertEquals(200, ping(registry, "carol", "carol-pw"), "the fixed file is used");
        assertEquals(401, ping(registry, "bob", "bob-pw"), "and bob, removed, is out");

        Files.delete(htpasswd);
        awaitReload();
        assertEquals(200, ping(registry, "carol", "carol-pw"));
        assertTrue(warnings().contains("htpasswd file " + htpasswd + " does not exist; still using the version"
                + " loaded before (2 users) until it is fixed"), warnings().toString());
    }

    /**
     * At start there is no last good version: the server starts, as distribution does (Debian's
     * shipped config.yml names a directory), lets nobody in and says why, until a good file appears.
     */
    @Test
    void aMissingBadOrDirectoryFileAtStartLetsNobodyInUntilAGoodOneAppears() throws Exception {
        Path missing = temp.resolve("nope");
        Registry registry = serve.start(env(missing), "--addr", "127.0.0.1:0");
        assertEquals(401, ping(registry, "alice", "alice-pw"));
        assertTrue(warnings().contains("htpasswd file " + missing + " does not exist; nobody can log in until it is"
                + " fixed"), warnings().toString());
        changeTo(missing, line("alice", "alice-pw"));
        assertEquals(200, ping(registry, "alice", "alice-pw"));

        Path bad = Files.writeString(temp.resolve("bad"), "# users\n" + MD5_LINE + "\n");
        Registry second = serve.start(env(bad), "--addr", "127.0.0.1:0");
        assertEquals(401, ping(second, "carol", "anything"));
        assertTrue(warnings().stream().anyMatch(w -> w.startsWith(bad + ":2: user carol has a MD5 ($apr1$) hash")
                && w.endsWith("; nobody can log in until it is fixed")), warnings().toString());

        Registry third = serve.start(env(temp), "--addr", "127.0.0.1:0");
        assertEquals(401, ping(third, "alice", "alice-pw"));
        assertTrue(warnings().contains("htpasswd file " + temp + " is a directory, not a file; nobody can log in"
                + " until it is fixed"), warnings().toString());
    }

    @Test
    void checkFailsOnAnUnusableFileSayingWhy() throws Exception {
        Path missing = temp.resolve("nope");
        StringWriter err = new StringWriter();
        assertEquals(1, serve.execute(env(missing), err, "--check"));
        assertEquals("stevedore serve: configuration error: auth.htpasswd.path: htpasswd file " + missing
                + " does not exist; serve would start, but nobody could log in (make one with: stevedore htpasswd -Bc "
                + missing + " USER)" + System.lineSeparator(), err.toString());
        assertTrue(serve.startedNothing());
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Map<String, String> env(Path htpasswd) {
        return Map.of("REGISTRY_STORAGE", "inmemory", "REGISTRY_AUTH", "htpasswd",
                "REGISTRY_AUTH_HTPASSWD_REALM", "test", "REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString());
    }

    private static String line(String user, String password) {
        return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(4)) + "\n";
    }

    /** Rewrites the file with a new modification time, then waits out the source's one-second check. */
    private static void changeTo(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        awaitReload();
    }

    private static void awaitReload() throws InterruptedException {
        Thread.sleep(1_200);
    }

    private static int ping(Registry registry, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }
}
