package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.storage.s3.S3DriverSettings.ChecksumMode;

/** The reference registry's {@code storage.s3} parameters, as strings and as YAML types. */
class S3DriverSettingsTest {

    private static Map<String, Object> with(Object... keysAndValues) {
        Map<String, Object> parameters = new HashMap<>(Map.of("region", "eu-west-1", "bucket", "images"));
        for (int i = 0; i < keysAndValues.length; i += 2) parameters.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return parameters;
    }

    @Test
    void defaultsMatchTheReferenceRegistry() {
        S3DriverSettings settings = S3DriverSettings.fromParameters(with());

        assertEquals("eu-west-1", settings.region());
        assertEquals("images", settings.bucket());
        assertEquals(Optional.empty(), settings.regionEndpoint());
        assertFalse(settings.forcePathStyle());
        assertEquals(Optional.empty(), settings.accessKey(), "the SDK's default credentials chain");
        assertEquals("", settings.rootDirectory());
        assertEquals(10 * 1024 * 1024, settings.chunkSizeBytes());
        assertTrue(settings.secure());
        assertFalse(settings.skipVerify());
        assertEquals(Optional.of("STANDARD"), settings.storageClass());
        assertFalse(settings.encrypt());
        assertEquals(ChecksumMode.WHEN_SUPPORTED, settings.requestChecksums());
        assertEquals(ChecksumMode.WHEN_SUPPORTED, settings.responseChecksums());
        assertTrue(settings.chunkedEncoding());
        assertTrue(settings.redirect());
    }

    static Stream<Arguments> validValues() {
        return Stream.of(
                Arguments.of("regionendpoint", "http://127.0.0.1:9000", (Function<S3DriverSettings, Object>) s -> s.regionEndpoint(),
                        Optional.of(URI.create("http://127.0.0.1:9000"))),
                Arguments.of("regionendpoint", "minio.local:9000", (Function<S3DriverSettings, Object>) s -> s.regionEndpoint(),
                        Optional.of(URI.create("https://minio.local:9000"))),
                Arguments.of("forcepathstyle", true, (Function<S3DriverSettings, Object>) S3DriverSettings::forcePathStyle, true),
                Arguments.of("forcepathstyle", "true", (Function<S3DriverSettings, Object>) S3DriverSettings::forcePathStyle, true),
                Arguments.of("forcepathstyle", "FALSE", (Function<S3DriverSettings, Object>) S3DriverSettings::forcePathStyle, false),
                Arguments.of("rootdirectory", "/registry/", (Function<S3DriverSettings, Object>) S3DriverSettings::rootDirectory, "registry"),
                Arguments.of("rootdirectory", "/a/b", (Function<S3DriverSettings, Object>) S3DriverSettings::rootDirectory, "a/b"),
                Arguments.of("chunksize", 5242880, (Function<S3DriverSettings, Object>) S3DriverSettings::chunkSizeBytes, 5242880),
                Arguments.of("chunksize", "20971520", (Function<S3DriverSettings, Object>) S3DriverSettings::chunkSizeBytes, 20971520),
                Arguments.of("chunksize", 20971520L, (Function<S3DriverSettings, Object>) S3DriverSettings::chunkSizeBytes, 20971520),
                Arguments.of("secure", "false", (Function<S3DriverSettings, Object>) S3DriverSettings::secure, false),
                Arguments.of("skipverify", true, (Function<S3DriverSettings, Object>) S3DriverSettings::skipVerify, true),
                Arguments.of("storageclass", "reduced_redundancy", (Function<S3DriverSettings, Object>) S3DriverSettings::storageClass,
                        Optional.of("REDUCED_REDUNDANCY")),
                Arguments.of("storageclass", "NONE", (Function<S3DriverSettings, Object>) S3DriverSettings::storageClass, Optional.empty()),
                Arguments.of("encrypt", "true", (Function<S3DriverSettings, Object>) S3DriverSettings::encrypt, true),
                Arguments.of("keyid", "alias/registry", (Function<S3DriverSettings, Object>) S3DriverSettings::keyId, Optional.of("alias/registry")),
                Arguments.of("requestchecksumcalculation", "when_required",
                        (Function<S3DriverSettings, Object>) S3DriverSettings::requestChecksums, ChecksumMode.WHEN_REQUIRED),
                Arguments.of("responsechecksumvalidation", "WHEN_REQUIRED",
                        (Function<S3DriverSettings, Object>) S3DriverSettings::responseChecksums, ChecksumMode.WHEN_REQUIRED),
                Arguments.of("chunkedencoding", false, (Function<S3DriverSettings, Object>) S3DriverSettings::chunkedEncoding, false),
                Arguments.of("v4auth", true, (Function<S3DriverSettings, Object>) S3DriverSettings::region, "eu-west-1"),
                Arguments.of("multipartcopychunksize", 33554432, (Function<S3DriverSettings, Object>) S3DriverSettings::region, "eu-west-1"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("validValues")
    void readsEachParameter(String key, Object value, Function<S3DriverSettings, Object> read, Object expected) {
        assertEquals(expected, read.apply(S3DriverSettings.fromParameters(with(key, value))));
    }

    static Stream<Arguments> invalidParameters() {
        return Stream.of(
                Arguments.of(Map.of("bucket", "images"), "region"),
                Arguments.of(Map.of("region", "eu-west-1"), "bucket"),
                Arguments.of(with("bucket", " "), "bucket"),
                Arguments.of(with("chunksize", 1024), "chunksize"),
                Arguments.of(with("chunksize", "ten"), "chunksize"),
                Arguments.of(with("chunksize", 99_999_999_999L), "chunksize"),
                Arguments.of(with("forcepathstyle", "yes please"), "forcepathstyle"),
                Arguments.of(with("secure", 1), "secure"),
                Arguments.of(with("requestchecksumcalculation", "always"), "requestchecksumcalculation"),
                Arguments.of(with("accesskey", "AKIA"), "secretkey"),
                Arguments.of(with("regionendpoint", "http://"), "regionendpoint"),
                Arguments.of(with("bukket", "typo"), "bukket"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidParameters")
    void refusesInvalidParametersNamingTheKey(Map<String, Object> parameters, String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3DriverSettings.fromParameters(parameters));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void staticCredentialsAreUsedAndNeverShown() {
        S3DriverSettings settings = S3DriverSettings.fromParameters(with("accesskey", "AKIAEXAMPLE", "secretkey", "wJalrXUtnFEMI/K7MDENG"));

        assertEquals(Optional.of("AKIAEXAMPLE"), settings.accessKey());
        assertEquals(Optional.of("wJalrXUtnFEMI/K7MDENG"), settings.secretKey());
        assertFalse(settings.toString().contains("wJalrXUtnFEMI"), settings.toString());
        assertFalse(settings.toString().contains("AKIAEXAMPLE"), settings.toString());
    }

    @Test
    void redirectCanBeTurnedOff() {
        assertFalse(S3DriverSettings.fromParameters(with()).withRedirect(false).redirect());
    }
}
