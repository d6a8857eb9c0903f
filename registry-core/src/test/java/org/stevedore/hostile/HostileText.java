package org.stevedore.hostile;

import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.stevedore.error.RegistryException;

/**
 * Generators of hostile text for the parser properties, and the one rule they check: a parser
 * either returns or throws its coded error, never anything else. Counts every input tried, so the
 * suites can report the figure.
 */
public final class HostileText {
    /** Inputs tried by every property in this JVM. */
    public static final AtomicLong TRIED = new AtomicLong();

    private HostileText() {
    }

    /** Any text: arbitrary code points, near-grammar alphabets, long runs, and edge strings. */
    public static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("az09AZ._-/:@+=%\\ \t\r\n\u0000\u00e9\u212a\uffff").ofMaxLength(300),
                Arbitraries.strings().withChars("a0._-/:").ofMinLength(200).ofMaxLength(5000),
                Arbitraries.of("", " ", ":", "/", "..", "../..", "%2e%2e", "a//b", "-", "_", "sha256:", ":abc",
                        "sha256:" + "a".repeat(63), "sha256:" + "A".repeat(64), "9".repeat(40), "-1", "bytes=-",
                        "bytes=0-", "0-0", "\u0000", "a\u0000b"));
    }

    /** {@code valid} with one character inserted, removed or replaced at a random place. */
    public static Arbitrary<String> mutated(Arbitrary<String> valid) {
        return Combinators.combine(valid, Arbitraries.integers().between(0, 10_000), Arbitraries.chars().all(),
                Arbitraries.integers().between(0, 2)).as((text, at, c, kind) -> {
                    if (text.isEmpty()) return String.valueOf(c);
                    int i = at % text.length();
                    switch (kind) {
                        case 0: return text.substring(0, i) + c + text.substring(i);
                        case 1: return text.substring(0, i) + text.substring(i + 1);
                        default: return text.substring(0, i) + c + text.substring(i + 1);
                    }
                });
    }

    /**
     * Runs {@code parse}; a {@link RegistryException} is the expected refusal and anything else
     * propagates so jqwik reports (and shrinks) the input.
     *
     * @return whether the input was accepted
     */
    public static boolean acceptsOrRefusesWithCode(Runnable parse) {
        TRIED.incrementAndGet();
        try {
            parse.run();
            return true;
        } catch (RegistryException refused) {
            return false;
        }
    }
}
