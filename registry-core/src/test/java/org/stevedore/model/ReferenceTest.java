package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;

class ReferenceTest {
    private static final String HEX64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest
    @ValueSource(strings = {
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "blake3:abc",
            "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"})
    void textWithColonParsesAsDigest(String text) {
        Reference reference = Reference.parse(text);
        Digest digest = assertInstanceOf(Digest.class, reference);
        assertEquals(text, digest.toString());
        assertEquals(Digest.parse(text), reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.0", "_x", "sha256-" + HEX64, "sha256"})
    void textWithoutColonParsesAsTag(String text) {
        Reference reference = Reference.parse(text);
        Tag tag = assertInstanceOf(Tag.class, reference);
        assertEquals(text, tag.toString());
        assertEquals(Tag.of(text), reference);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "sha256:abc, DIGEST_INVALID",
            "SHA256:" + HEX64 + ", DIGEST_INVALID",
            "sha256:" + HEX64 + "0, DIGEST_INVALID",
            "':', DIGEST_INVALID",
            "':latest', DIGEST_INVALID",
            "'latest:', DIGEST_INVALID",
            "'v1:2.0', DIGEST_INVALID",
            ".hidden, TAG_INVALID",
            "-dash, TAG_INVALID",
            "a/b, TAG_INVALID",
            "a b, TAG_INVALID",
            "a@b, TAG_INVALID"})
    void malformedReferenceFailsWithTheCodeOfItsKind(String text, ErrorCode expected) {
        RegistryException e = assertThrows(RegistryException.class, () -> Reference.parse(text));
        assertEquals(expected, e.code());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullOrEmptyReferenceIsAnInvalidTag(String text) {
        RegistryException e = assertThrows(RegistryException.class, () -> Reference.parse(text));
        assertEquals(ErrorCode.TAG_INVALID, e.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {129, 1_000, 100_000})
    void overlongTagIsTagInvalid(int length) {
        RegistryException e = assertThrows(RegistryException.class, () -> Reference.parse("t".repeat(length)));
        assertEquals(ErrorCode.TAG_INVALID, e.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {250, 100_000})
    void overlongDigestIsDigestInvalid(int length) {
        RegistryException e = assertThrows(RegistryException.class,
                () -> Reference.parse("blake3:" + "a".repeat(length)));
        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
    }
}
