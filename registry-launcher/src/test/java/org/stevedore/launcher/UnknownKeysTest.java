package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16 item 6: a misspelt key in any section, in the file or a REGISTRY_* variable, is named
 * in a warning with the key it was probably meant to be; nothing is silently ignored.
 */
class UnknownKeysTest {
    @TempDir
    Path temp;

    static Stream<Arguments> typos() {
        return Stream.of(
                Arguments.of("version: 0.1\nstorage:\n  inmemory:\n  delete:\n    enable: true\n", Map.of(),
                        "storage.delete.enable is not a known key; did you mean storage.delete.enabled? Ignored"),
                Arguments.of("version: 0.1\nstorage:\n  inmemory:\n  maintenance:\n    readonly:\n      enabld: true\n",
                        Map.of(), "storage.maintenance.readonly.enabld is not a known key; did you mean"
                                + " storage.maintenance.readonly.enabled? Ignored"),
                Arguments.of("version: 0.1\nstorage:\n  inmemory:\n  maintenance:\n    gc:\n      graceperod: 1h\n",
                        Map.of(), "storage.maintenance.gc.graceperod is not a known key; did you mean"
                                + " storage.maintenance.gc.graceperiod? Ignored"),
                Arguments.of("version: 0.1\nstorage:\n  inmemory:\n  redirect:\n    disabled: true\n", Map.of(),
                        "storage.redirect.disabled is not a known key; did you mean storage.redirect.disable? Ignored"),
                Arguments.of("version: 0.1\nstorage:\n  filesystem:\n    rootdir: /x\n", Map.of(),
                        "storage.filesystem.rootdir is not supported by Stevedore; ignored"),
                Arguments.of("version: 0.1\nstorage:\n  filesystem:\n    rootdirectori: /x\n", Map.of(),
                        "storage.filesystem.rootdirectori is not a known key; did you mean"
                                + " storage.filesystem.rootdirectory? Ignored"),
                Arguments.of("version: 0.1\nstorage:\n  inmemory:\n  delet:\n    enabled: true\n", Map.of(),
                        "storage.delet is not a known key; did you mean storage.delete? Ignored"),
                Arguments.of("version: 0.1\nhttp:\n  adr: :5000\n", Map.of(),
                        "http.adr is not a known key; did you mean http.addr? Ignored"),
                Arguments.of("version: 0.1\nauth:\n  htpasswd:\n    realm: r\n    path: /p\n    accesrules: /a\n",
                        Map.of(), "auth.htpasswd.accesrules is not a known key; did you mean"
                                + " auth.htpasswd.accessrules? Ignored"),
                Arguments.of("version: 0.1\nlimits:\n  pagesise: 5\n", Map.of(),
                        "limits.pagesise is not a known key; did you mean limits.pagesize? Ignored"),
                Arguments.of("version: 0.1\nlog:\n  levl: debug\n", Map.of(),
                        "log.levl is not a known key; did you mean log.level? Ignored"),
                Arguments.of("version: 0.1\nstorag:\n  inmemory:\n", Map.of(),
                        "storag is not a known key; did you mean storage? Ignored"),
                Arguments.of(null, Map.of("REGISTRY_STORAGE_DELETE_ENABLE", "true"),
                        "ignoring unrecognized environment variable REGISTRY_STORAGE_DELETE_ENABLE;"
                                + " did you mean REGISTRY_STORAGE_DELETE_ENABLED?"),
                Arguments.of(null, Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLD", "true"),
                        "ignoring unrecognized environment variable REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLD;"
                                + " did you mean REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED?"),
                Arguments.of(null, Map.of("REGISTRY_STORAGE_MAINTENANCE_REDONLY_ENABLED", "true"),
                        "ignoring unrecognized environment variable REGISTRY_STORAGE_MAINTENANCE_REDONLY_ENABLED;"
                                + " did you mean REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED?"),
                Arguments.of(null, Map.of("REGISTRY_HTTP_ADR", ":5000"),
                        "ignoring unrecognized environment variable REGISTRY_HTTP_ADR; did you mean REGISTRY_HTTP_ADDR?"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM", "r",
                                "REGISTRY_AUTH_HTPASSWD_PATH", "/p", "REGISTRY_AUTH_HTPASSWD_PAHT", "/q"),
                        "ignoring unrecognized environment variable REGISTRY_AUTH_HTPASSWD_PAHT;"
                                + " did you mean REGISTRY_AUTH_HTPASSWD_PATH?"),
                Arguments.of(null, Map.of("REGISTRY_HTTP_BOGUS", "1"),
                        "ignoring unrecognized environment variable REGISTRY_HTTP_BOGUS"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("typos")
    void warnsWithTheNearestKnownKey(String yaml, Map<String, String> env, String warning) throws IOException {
        Optional<Path> file = Optional.empty();
        if (yaml != null) file = Optional.of(Files.writeString(temp.resolve("config.yml"), yaml));
        assertEquals(List.of(warning), ConfigLoader.load(file, env).warnings());
    }
}
