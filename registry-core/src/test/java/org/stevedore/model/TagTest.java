package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;

class TagTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "latest", "v1", "1.0.0", "v1.2.3-rc.1", "_private", "A", "Z9", "0",
            "UPPER_lower.dots-dashes", "a..b", "a--b", "a__b", "trailing.", "trailing-",
            "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void acceptsTagsInTheSpecGrammar(String value) {
        Tag tag = Tag.of(value);
        assertEquals(value, tag.value());
        assertEquals(value, tag.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            ".hidden", "-dash", ".", "-", "..", "a:b", "a/b", "a b", " a", "a\n", "a+b",
            "a@b", "ä", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void rejectsTagsOutsideTheSpecGrammarWithTagInvalid(String value) {
        RegistryException e = assertThrows(RegistryException.class, () -> Tag.of(value));
        assertEquals(ErrorCode.TAG_INVALID, e.code());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmptyWithTagInvalid(String value) {
        RegistryException e = assertThrows(RegistryException.class, () -> new Tag(value));
        assertEquals(ErrorCode.TAG_INVALID, e.code());
    }

    static Stream<Arguments> lengths() {
        return Stream.of(
                Arguments.of(1, true),
                Arguments.of(127, true),
                Arguments.of(128, true),
                Arguments.of(129, false),
                Arguments.of(100_000, false));
    }

    @ParameterizedTest(name = "{0} chars valid={1}")
    @MethodSource("lengths")
    void acceptsAtMost128Characters(int length, boolean valid) {
        String value = "_" + "a.-".repeat(length).substring(0, length - 1);
        assertEquals(length, value.length());
        if (valid) {
            assertEquals(value, Tag.of(value).value());
        } else {
            RegistryException e = assertThrows(RegistryException.class, () -> Tag.of(value));
            assertEquals(ErrorCode.TAG_INVALID, e.code());
        }
    }

    /** The hand-written grammar check against the spec's expression, on many strings, lengths up to past 128. */
    @Test
    void grammarCheckAgreesWithTheSpecExpression() {
        Pattern grammar = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
        Random random = new Random(17);
        String alphabet = "aZ9_.-:/ +";
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = i % 10 == 0 ? 120 + random.nextInt(20) : random.nextInt(6);
            for (; length > 0; length--) value.append(alphabet.charAt(random.nextInt(i % 10 == 0 ? 6 : alphabet.length())));
            boolean expected = grammar.matcher(value).matches();
            assertEquals(expected, Tag.inGrammar(value.toString()), value.toString());
            if (expected) accepted++;
        }
        assertTrue(accepted > 1000, "too few valid tags drawn: " + accepted);
    }
}
