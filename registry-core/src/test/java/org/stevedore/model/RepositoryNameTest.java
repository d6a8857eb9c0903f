package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
