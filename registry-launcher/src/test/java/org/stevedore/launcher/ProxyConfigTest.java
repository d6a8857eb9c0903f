package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.proxy.Upstream;

/** {@code proxy.*} in config.yml and REGISTRY_PROXY_* variables. */
class ProxyConfigTest {
    @TempDir
    Path temp;

    private ConfigLoader.Loaded load(String yaml, Map<String, String> env) throws Exception {
        Optional<Path> file = yaml == null ? Optional.empty()
                : Optional.of(Files.writeString(temp.resolve("config.yml"), yaml));
        return ConfigLoader.load(file, env);
    }

    @Test
    void distributionsSingleUpstreamProxiesEveryRepository() throws Exception {
        ConfigLoader.Loaded loaded = load("version: 0.1\nproxy:\n  remoteurl: https://registry-1.docker.io\n"
                + "  username: me\n  password: secret\n  ttl: 2h\n", Map.of());
        assertEquals(List.of(new Upstream("", URI.create("https://registry-1.docker.io"), Optional.of("me"),
                Optional.of("secret"), Duration.ofHours(2))), loaded.config().proxy());
        assertTrue(loaded.warnings().stream().noneMatch(w -> w.contains("proxy")), loaded.warnings().toString());
    }

    @Test
    void variablesSetTheUpstreamAndTheDefaultTtlIsAWeek() throws Exception {
        ConfigLoader.Loaded loaded = load(null, Map.of("REGISTRY_PROXY_REMOTEURL", "http://127.0.0.1:5001"));
        assertEquals(List.of(Upstream.of("", URI.create("http://127.0.0.1:5001"))), loaded.config().proxy());
        assertEquals(Duration.ofHours(168), loaded.config().proxy().get(0).ttl());
    }

    @Test
    void upstreamsPerPrefixFromFileAndVariable() throws Exception {
        ConfigLoader.Loaded file = load("version: 0.1\nproxy:\n  upstreams:\n"
                + "    - prefix: hub/\n      remoteurl: https://registry-1.docker.io\n      ttl: 10m\n"
                + "    - prefix: ghcr\n      remoteurl: https://ghcr.io\n      username: u\n      password: p\n", Map.of());
        assertEquals(List.of(
                Upstream.of("hub/", URI.create("https://registry-1.docker.io")).withTtl(Duration.ofMinutes(10)),
                Upstream.of("ghcr/", URI.create("https://ghcr.io")).withCredentials("u", "p")), file.config().proxy());

        ConfigLoader.Loaded env = load(null, Map.of("REGISTRY_PROXY_UPSTREAMS",
                "[{prefix: mirror/, remoteurl: 'http://127.0.0.1:5002', ttl: 2s}]"));
        assertEquals(List.of(Upstream.of("mirror/", URI.create("http://127.0.0.1:5002")).withTtl(Duration.ofSeconds(2))),
                env.config().proxy());
    }

    @Test
    void readTimeoutIsStevedoresOwnKeyFromFileAndVariable() throws Exception {
        ConfigLoader.Loaded single = load("version: 0.1\nproxy:\n  remoteurl: https://r.example\n  readtimeout: 15s\n",
                Map.of());
        assertEquals(Duration.ofSeconds(15), single.config().proxy().get(0).readTimeout());
        assertTrue(single.warnings().stream().noneMatch(w -> w.contains("readtimeout")), single.warnings().toString());

        ConfigLoader.Loaded env = load("version: 0.1\nproxy:\n  upstreams:\n    - prefix: a/\n      remoteurl: https://a.example\n"
                + "    - prefix: b/\n      remoteurl: https://b.example\n      readtimeout: 3s\n",
                Map.of("REGISTRY_PROXY_READTIMEOUT", "2m"));
        assertEquals(Duration.ofMinutes(2), env.config().proxy().get(0).readTimeout());
        assertEquals(Duration.ofSeconds(3), env.config().proxy().get(1).readTimeout());
        assertTrue(env.warnings().stream().noneMatch(w -> w.contains("readtimeout")), env.warnings().toString());

        assertEquals(Upstream.DEFAULT_READ_TIMEOUT,
                load("version: 0.1\nproxy:\n  remoteurl: https://r.example\n", Map.of()).config().proxy().get(0).readTimeout());
        assertThrows(Exception.class, () -> load("version: 0.1\nproxy:\n  remoteurl: https://r.example\n  readtimeout: 0s\n",
                Map.of()));
    }

    @Test
    void warnsAboutUnknownKeysInAnUpstream() throws Exception {
        ConfigLoader.Loaded loaded = load("version: 0.1\nproxy:\n  upstreams:\n"
                + "    - prefix: hub/\n      remoteurl: https://registry-1.docker.io\n      mirrors: 3\n", Map.of());
        assertEquals(List.of("proxy.upstreams[0].mirrors is not supported by Stevedore; ignored"), loaded.warnings());
    }

    @Test
    void refusesIncompleteOrContradictorySettingsNamingTheKey() {
        assertEquals("proxy.upstreams: give either remoteurl (every repository proxied) or upstreams (per prefix), not both",
                assertThrows(ConfigException.class, () -> load("version: 0.1\nproxy:\n  remoteurl: http://a\n"
                        + "  upstreams:\n    - prefix: x/\n      remoteurl: http://b\n", Map.of())).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> load("version: 0.1\nproxy:\n  remoteurl: ftp://a\n",
                Map.of())).getMessage().startsWith("proxy.remoteurl: "));
        assertTrue(assertThrows(ConfigException.class, () -> load("version: 0.1\nproxy:\n  upstreams:\n"
                + "    - remoteurl: http://b\n", Map.of())).getMessage().startsWith("proxy.upstreams[0].prefix: "));
        assertTrue(assertThrows(ConfigException.class, () -> load("version: 0.1\nproxy:\n  remoteurl: http://a\n"
                + "  username: u\n", Map.of())).getMessage().startsWith("proxy.password: "));
        assertTrue(assertThrows(ConfigException.class, () -> load("version: 0.1\nproxy:\n  upstreams:\n"
                + "    - prefix: a/\n      remoteurl: http://b\n    - prefix: a\n      remoteurl: http://c\n",
                Map.of())).getMessage().startsWith("proxy.upstreams: "));
    }
}
