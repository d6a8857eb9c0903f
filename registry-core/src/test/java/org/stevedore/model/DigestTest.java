package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;

class DigestTest {
    private static final String HEX64 = "0123456789abcdef".repeat(4);
    private static final String HEX128 = "0123456789abcdef".repeat(8);

    static Stream<Arguments> validDigests() {
        return Stream.of(
                Arguments.of("sha256:" + HEX64, "sha256", HEX64),
                Arguments.of("sha256:" + "e".repeat(64), "sha256", "e".repeat(64)),
                Arguments.of("sha512:" + HEX128, "sha512", HEX128),
                Arguments.of("blake3:abc", "blake3", "abc"),
                Arguments.of("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
                        "sha256+b64u", "LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"),
                Arguments.of("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
                        "multihash+base58", "QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"),
                Arguments.of("a+b.c_d-e:x", "a+b.c_d-e", "x"),
                Arguments.of("x9:AZaz09=_-", "x9", "AZaz09=_-"),
                Arguments.of("blake3:" + "a".repeat(249), "blake3", "a".repeat(249)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDigests")
    void parsesGrammaticalDigestIntoAlgorithmAndEncoded(String text, String algorithm, String encoded) {
        Digest digest = Digest.parse(text);
        assertEquals(algorithm, digest.algorithm());
        assertEquals(encoded, digest.encoded());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDigests")
    void toStringIsTheWireFormAndParsesBackToAnEqualDigest(String text, String algorithm, String encoded) {
        Digest digest = new Digest(algorithm, encoded);
        assertEquals(text, digest.toString());
        assertEquals(digest, Digest.parse(digest.toString()));
    }

    static Stream<Arguments> invalidDigests() {
        return Stream.of(
                Arguments.of("uppercase sha256 hex", "sha256:" + HEX64.toUpperCase()),
                Arguments.of("mixed-case sha256 hex", "sha256:" + "A" + HEX64.substring(1)),
                Arguments.of("uppercase sha512 hex", "sha512:" + HEX128.toUpperCase()),
                Arguments.of("sha256 too short", "sha256:" + HEX64.substring(1)),
                Arguments.of("sha256 too long", "sha256:" + HEX64 + "0"),
                Arguments.of("sha256 with sha512 length", "sha256:" + HEX128),
                Arguments.of("sha512 with sha256 length", "sha512:" + HEX64),
                Arguments.of("sha256 non-hex", "sha256:" + "g".repeat(64)),
                Arguments.of("missing colon", "sha256" + HEX64),
                Arguments.of("empty string", ""),
                Arguments.of("only colon", ":"),
                Arguments.of("empty algorithm", ":" + HEX64),
                Arguments.of("empty encoded", "sha256:"),
                Arguments.of("empty encoded unknown algorithm", "blake3:"),
                Arguments.of("uppercase algorithm", "SHA256:" + HEX64),
                Arguments.of("leading separator in algorithm", "+sha256:abc"),
                Arguments.of("trailing separator in algorithm", "sha256+:abc"),
                Arguments.of("doubled separator in algorithm", "sha256..b64:abc"),
                Arguments.of("mixed doubled separator in algorithm", "sha256-_b64:abc"),
                Arguments.of("slash in algorithm", "sha/256:abc"),
                Arguments.of("space in algorithm", "sha 256:abc"),
                Arguments.of("second colon", "blake3:abc:def"),
                Arguments.of("dot in encoded", "blake3:a.b"),
                Arguments.of("plus in encoded", "blake3:a+b"),
                Arguments.of("slash in encoded", "blake3:a/b"),
                Arguments.of("space in encoded", "blake3:a b"),
                Arguments.of("trailing newline", "sha256:" + HEX64 + "\n"),
                Arguments.of("path traversal", "sha256:../../etc/passwd"),
                Arguments.of("just over the length limit", "blake3:" + "a".repeat(250)),
                Arguments.of("very long", "blake3:" + "a".repeat(100_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDigests")
    void parseRejectsMalformedDigestWithDigestInvalid(String description, String text) {
        RegistryException e = assertThrows(RegistryException.class, () -> Digest.parse(text));
        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
    }

    @ParameterizedTest(name = "{0}")
    @NullSource
    void parseRejectsNullWithDigestInvalid(String text) {
        RegistryException e = assertThrows(RegistryException.class, () -> Digest.parse(text));
        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
    }

    @ParameterizedTest(name = "[{0}]:[{1}]")
    @CsvSource(value = {"NULL,abc", "blake3,NULL", "sha256,abc", "'',abc", "Sha256," + "0", "blake3,''"},
            nullValues = "NULL")
    void constructorRejectsInvalidPartsWithDigestInvalid(String algorithm, String encoded) {
        RegistryException e = assertThrows(RegistryException.class, () -> new Digest(algorithm, encoded));
        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
    }

    @Test
    void detailOfVeryLongInputIsShortened() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> Digest.parse("blake3:" + "a".repeat(100_000)));
        assertTrue(e.detail().orElseThrow().length() < 200, "detail should not echo the whole input");
    }

    @ParameterizedTest(name = "{0} verifiable={1}")
    @CsvSource({
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, true, SHA-256",
            "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                    + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, true, SHA-512",
            "blake3:abc, false, ",
            "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564, false, ",
            "sha384:abc, false, "})
    void isVerifiableOnlyForAlgorithmsTheRegistryCanCompute(String text, boolean verifiable, String javaName) {
        Digest digest = Digest.parse(text);
        assertEquals(verifiable, digest.isVerifiable());
        if (verifiable) {
            assertEquals(javaName, digest.javaAlgorithm());
        } else {
            RegistryException e = assertThrows(RegistryException.class, digest::javaAlgorithm);
            assertEquals(ErrorCode.DIGEST_INVALID, e.code());
        }
    }

    @Test
    void sha256FactoryBuildsSha256Digest() {
        Digest digest = Digest.sha256(HEX64);
        assertEquals("sha256", digest.algorithm());
        assertEquals("sha256:" + HEX64, digest.toString());
        assertFalse(digest.equals(Digest.parse("sha512:" + HEX128)));
    }

    @Test
    void sha256FactoryRejectsUppercaseHex() {
        RegistryException e = assertThrows(RegistryException.class, () -> Digest.sha256(HEX64.toUpperCase()));
        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
    }
}
