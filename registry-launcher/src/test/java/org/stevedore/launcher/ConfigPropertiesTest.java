package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Configuration under hostile values: files, {@code REGISTRY_*} variables, durations and listen
 * addresses. Loading throws only {@link ConfigException} (naming the key); the value parsers throw
 * only {@link IllegalArgumentException} with a message, which the loader turns into one.
 */
class ConfigPropertiesTest {
    private static final int TRIES = 1000;
    private static final AtomicLong TRIED = new AtomicLong();
    private static final List<String> KEYS = List.of("version", "log", "level", "loglevel", "storage", "filesystem",
            "rootdirectory", "inmemory", "s3", "delete", "enabled", "maintenance", "uploadpurging", "age", "interval",
            "dryrun", "readonly", "gc", "graceperiod", "cache", "blobdescriptor", "redirect", "disable", "auth",
            "htpasswd", "token", "realm", "path", "http", "addr", "net", "host", "draintimeout", "headers", "tls",
            "certificate", "key", "selfsigned", "hosts", "minimumtls", "debug", "limits", "manifestbytes",
            "uploadsessions", "uploadidle", "headerbytes", "pagesize", "accesslog", "disabled", "catalog");

    private static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("0123456789.:hmsµun-[]").ofMaxLength(40),
                Arbitraries.of("0.1", "true", "no", "~", "null", "-1", "0", "1", "99999999999999999999", "1e400", "10s",
                        "1.5h", "9223372036854775807h", "0x10", "[a, b]", "{a: b}", ":5000", "[::1]:0", "256.0.0.1:1",
                        "localhost:65536", "&a [*a, *a]", "!!binary AAAA", "inmemory", "htpasswd", "'", "\"", "\\"));
    }

    @Provide
    Arbitrary<String> yamlFiles() {
        Arbitrary<String> line = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(KEYS), scalar())
                .as((indent, key, value) -> "  ".repeat(indent) + key + ": " + value);
        Arbitrary<String> shaped = line.list().ofMaxSize(15).map(lines -> "version: 0.1\n" + String.join("\n", lines));
        return Arbitraries.oneOf(shaped, scalar(), Arbitraries.strings().all().ofMaxLength(500),
                Arbitraries.integers().between(1, 1000).map(depth -> "version: 0.1\nlog: " + "[".repeat(depth)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> "raw:" + java.util.Base64.getEncoder().encodeToString(b)));
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> name = Arbitraries.of(KEYS).map(k -> k.toUpperCase(java.util.Locale.ROOT)).list().ofMinSize(1)
                .ofMaxSize(4).map(parts -> "REGISTRY_" + String.join("_", parts));
        Arbitrary<String> oddName = Arbitraries.of("REGISTRY_", "REGISTRY__", "REGISTRY_HTTP__ADDR", "REGISTRY_LIMITS_",
                "REGISTRY_CONFIGURATION_PATH", "REGISTRY_STORAGE_DELETE_ENABLED_X");
        return Arbitraries.maps(Arbitraries.oneOf(name, oddName), scalar()).ofMaxSize(6);
    }

    /** Fewer tries: each writes a file. */
    @Property(tries = 500)
    void configurationLoadsOrNamesTheProblem(@ForAll("yamlFiles") String yaml, @ForAll("environments") Map<String, String> env) {
        TRIED.incrementAndGet();
        Path file = write(yaml);
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.of(file), env);
            LimitsConfig limits = loaded.config().limits();
            assertTrue(limits.manifestBytes() > 0 && limits.uploadSessions() > 0 && limits.pageSize() > 0
                    && limits.headerBytes() >= LimitsConfig.MIN_HEADER_BYTES && !limits.uploadIdle().isNegative());
        } catch (ConfigException documented) {
            assertFalse(documented.getMessage() == null || documented.getMessage().isBlank());
        } finally {
            delete(file);
        }
    }

    @Property(tries = TRIES)
    void environmentAloneLoadsOrNamesTheProblem(@ForAll("environments") Map<String, String> env) {
        TRIED.incrementAndGet();
        try {
            ConfigLoader.load(Optional.empty(), env);
        } catch (ConfigException documented) {
            assertFalse(documented.getMessage().isBlank());
        }
    }

    @Property(tries = TRIES)
    void durationsParseOrExplain(@ForAll("durations") String text) {
        TRIED.incrementAndGet();
        try {
            assertFalse(GoDuration.parse(text).isNegative(), text);
        } catch (IllegalArgumentException documented) {
            assertFalse(documented.getMessage() == null || documented.getMessage().isBlank());
        }
    }

    @Provide
    Arbitrary<String> durations() {
        Arbitrary<String> part = Combinators.combine(Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30),
                Arbitraries.of(".5", "1.", "0", "9223372036854775807")), Arbitraries.of("ns", "us", "µs", "ms", "s", "m", "h", "d", ""))
                .as((n, unit) -> n + unit);
        return Arbitraries.oneOf(part.list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("", parts)), scalar());
    }

    @Property(tries = TRIES)
    void listenAddressesParseOrExplain(@ForAll("addresses") String text) {
        TRIED.incrementAndGet();
        try {
            ListenAddress address = ListenAddress.parse(text);
            assertEquals(address, ListenAddress.parse(address.toString()));
        } catch (IllegalArgumentException documented) {
            assertFalse(documented.getMessage() == null || documented.getMessage().isBlank());
        }
    }

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<String> host = Arbitraries.oneOf(Arbitraries.strings().withChars("az09.-:[]%").ofMaxLength(40),
                Arbitraries.of("", "localhost", "127.0.0.1", "::1", "[::1]", "[fe80::1%lo]", "0.0.0.0", "1.2.3", "a..b"));
        Arbitrary<String> port = Arbitraries.oneOf(Arbitraries.strings().numeric().ofMaxLength(8), Arbitraries.of("-1", "+1", " 1"));
        return Arbitraries.oneOf(Combinators.combine(host, port).as((h, p) -> h + ":" + p), scalar());
    }

    @AfterContainer
    static void report() {
        System.out.println("FIGURES: configuration property inputs tried: " + TRIED.get());
    }

    private static Path write(String yaml) {
        try {
            Path file = Files.createTempFile("stevedore-config", ".yml");
            // getBytes replaces lone surrogates; invalid UTF-8 comes from the raw-bytes case.
            Files.write(file, yaml.startsWith("raw:") ? java.util.Base64.getDecoder().decode(yaml.substring(4))
                    : yaml.getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
