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

class RepositoryNameTest {

    /** A name of exactly {@code length} characters: components of 9 letters joined by '/'. */
    private static String nameOfLength(int length) {
        StringBuilder name = new StringBuilder();
        while (name.length() < length) {
            name.append(name.length() % 10 == 9 ? '/' : 'a');
        }
        if (name.charAt(name.length() - 1) == '/') name.setCharAt(name.length() - 1, 'b');
        return name.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a", "0", "ubuntu", "library/ubuntu", "a/b/c", "a/b/c/d/e/f/g",
            "a.b", "a_b", "a__b", "a-b", "a--b", "a---------b", "a.b_c__d-e--f",
            "my-org/my.repo/sub_path", "123/456", "a1/b2", "x/y.z/a-b/c__d",
            "registry.example.com/team/app"})
    void acceptsNamesInTheSpecGrammar(String value) {
        RepositoryName name = RepositoryName.of(value);
        assertEquals(value, name.value());
        assertEquals(value, name.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "../x", "a/../b", "./a", "a/./b", "..", ".", "a/..",
            "A", "Upper/case", "library/Ubuntu", "aB",
            "a/", "/a", "/", "a//b", "//a",
            "a___b", "a.-b", "a-.b", "a._b", "a..b", "a_-b",
            ".a", "a.", "_a", "a_", "-a", "a-", "a/-b", "a/b.",
            "a b", " a", "a\n", "a\\b", "a:b", "a@b", "a+b", "a%2fb", "ä",
            "a/b/", "a\u0000b"})
    void rejectsNamesOutsideTheSpecGrammarWithNameInvalid(String value) {
        RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.of(value));
        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }

    /** The detail says which rule the name breaks, so a user can fix it without reading the grammar. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "Team/App        | upper-case letters are not allowed",
            "library/Ubuntu  | upper-case letters are not allowed",
            "a:b             | character ':' is not allowed",
            "a b             | character U+0020 is not allowed",
            "ä               | character U+00E4 is not allowed",
            "a//b            | path component 2 is empty",
            "/a              | path component 1 is empty",
            "a/              | path component 2 is empty",
            "a/-b            | path component '-b' must begin and end with a letter or digit",
            "a/..            | path component '..' must begin and end with a letter or digit",
            "x.              | path component 'x.' must begin and end with a letter or digit",
            "a___b           | path component 'a___b' joins letters with '___'",
            "a.-b            | path component 'a.-b' joins letters with '.-'",
            "a..b            | path component 'a..b' joins letters with '..'"})
    void invalidNameSaysWhy(String value, String reason) {
        RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.of(value));
        String detail = e.detail().orElseThrow();
        assertTrue(detail.contains(reason), detail);
        assertTrue(detail.startsWith("invalid repository name " + value + ": "), detail);
    }

    @Test
    void tooLongNameSaysItsLength() {
        RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.of("a".repeat(300)));
        assertEquals("repository name longer than 255 characters (300)", e.detail().orElseThrow());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmptyWithNameInvalid(String value) {
        RegistryException e = assertThrows(RegistryException.class, () -> new RepositoryName(value));
        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }

    static Stream<Arguments> lengths() {
        return Stream.of(
                Arguments.of(254, true),
                Arguments.of(255, true),
                Arguments.of(256, false),
                Arguments.of(300, false),
                Arguments.of(100_000, false));
    }

    @ParameterizedTest(name = "{0} chars valid={1}")
    @MethodSource("lengths")
    void acceptsAtMost255Characters(int length, boolean valid) {
        String value = nameOfLength(length);
        assertEquals(length, value.length());
        if (valid) {
            assertEquals(value, RepositoryName.of(value).value());
        } else {
            RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.of(value));
            assertEquals(ErrorCode.NAME_INVALID, e.code());
        }
    }

    @ParameterizedTest(name = "single component of {0} chars valid={1}")
    @MethodSource("lengths")
    void lengthLimitAppliesToSingleComponentNames(int length, boolean valid) {
        String value = "a".repeat(length);
        if (valid) {
            assertEquals(value, RepositoryName.of(value).value());
        } else {
            RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.of(value));
            assertEquals(ErrorCode.NAME_INVALID, e.code());
        }
    }

    @Test
    void ordersByValue() {
        assertTrue(RepositoryName.of("a/b").compareTo(RepositoryName.of("a/c")) < 0);
        assertTrue(RepositoryName.of("b").compareTo(RepositoryName.of("a/z")) > 0);
        assertEquals(0, RepositoryName.of("x").compareTo(RepositoryName.of("x")));
        assertEquals(RepositoryName.of("x/y"), RepositoryName.of("x/y"));
    }

    /** The hand-written grammar check against the spec's expression, on many short strings of the characters that matter. */
    @Test
    void grammarCheckAgreesWithTheSpecExpression() {
        String component = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
        Pattern grammar = Pattern.compile(component + "(?:/" + component + ")*");
        Random random = new Random(17);
        String alphabet = "ab09._-/_-.A+ ";
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int length = random.nextInt(9); length > 0; length--) value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            boolean expected = grammar.matcher(value).matches();
            assertEquals(expected, RepositoryName.inGrammar(value.toString()), value.toString());
            if (expected) accepted++;
        }
        assertTrue(accepted > 1000, "too few valid names drawn: " + accepted);
    }
}
