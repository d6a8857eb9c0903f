package org.stevedore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stevedore.model.RepositoryName;

/** Which repositories an upstream serves and how the upstream names them; what is refused. */
class UpstreamTest {
    @ParameterizedTest(name = "{0} + {1} at {2}: {3}")
    @CsvSource({
            "hub/, hub/library/alpine, https://registry-1.docker.io, library/alpine",
            "hub/, hub/alpine, https://registry-1.docker.io, library/alpine",
            "hub/, hub/alpine, http://127.0.0.1:5000, alpine",
            "'', library/alpine, https://registry-1.docker.io, library/alpine",
            "'', alpine, https://registry-1.docker.io, library/alpine",
            "ghcr/, ghcr/owner/tool, https://ghcr.io, owner/tool",
            "a/b/, a/b/c, http://127.0.0.1:5000, c"})
    void mapsCoveredNamesToTheUpstreamsNames(String prefix, String name, String url, String remote) {
        Upstream upstream = Upstream.of(prefix, URI.create(url));
        assertTrue(upstream.covers(RepositoryName.of(name)));
        assertEquals(remote, upstream.remoteName(RepositoryName.of(name)));
    }

    @ParameterizedTest(name = "{0} does not cover {1}")
    @CsvSource({"hub/, hubble/app", "hub/, hub", "hub/, team/hub/app", "a/b/, a/bc/d"})
    void coversOnlyNamesUnderItsPrefix(String prefix, String name) {
        assertFalse(Upstream.of(prefix, URI.create("http://127.0.0.1:5000")).covers(RepositoryName.of(name)));
    }

    @ParameterizedTest(name = "prefix ''{0}'', url {1}")
    @CsvSource({"hub, http://x", "/hub/, http://x", "Hub/, http://x", "a//b/, http://x", "hub/, ftp://x",
            "hub/, x"})
    void refusesBadPrefixesAndUrls(String prefix, String url) {
        assertThrows(IllegalArgumentException.class, () -> Upstream.of(prefix, URI.create(url)));
    }

    @org.junit.jupiter.api.Test
    void neverShowsThePassword() {
        Upstream upstream = new Upstream("hub/", URI.create("https://r.example"), Optional.of("me"),
                Optional.of("s3cret-pw"), Duration.ofMinutes(5));
        assertFalse(upstream.toString().contains("s3cret-pw"), upstream.toString());
        assertThrows(IllegalArgumentException.class, () -> new Upstream("hub/", URI.create("https://r.example"),
                Optional.of("me"), Optional.empty(), Duration.ZERO));
    }
}
