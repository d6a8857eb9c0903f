package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "prod/**, prod/app, true",
            "prod/**, prod/team/app, true",
            "prod/**, prod, false",
            "prod/**, production/app, false",
            "prod/*, prod/app, true",
            "prod/*, prod/team/app, false",
            "**/app, app, true",
            "**/app, a/b/app, true",
            "**/app, a/b/apps, false",
            "**, anything/at/all, true",
            "v*, v1.2.3, true",
            "v*, latest, false",
            "v?, v1, true",
            "v?, v10, false",
            "a.b, a.b, true",
            "a.b, axb, false",
            "ci/*-cache, ci/app-cache, true"})
    void matchesAsDocumented(String pattern, String name, boolean expected) {
        assertEquals(expected, Glob.of(pattern).matches(name));
    }

    @ParameterizedTest
    @CsvSource({"''"})
    void anEmptyPatternIsRefused(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> Glob.of(pattern));
    }
}
