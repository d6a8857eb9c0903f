package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stevedore.hostile.HostileText.acceptsOrRefusesWithCode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.stevedore.hostile.HostileText;

/**
 * Digest, repository name, tag and reference parsing under hostile text: only coded errors, and
 * whatever parses prints back as the same text (so nothing is silently normalised).
 */
class ModelParserPropertiesTest {
    private static final int TRIES = 1000;

    @Provide
    Arbitrary<String> digests() {
        Arbitrary<String> valid = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).map(hex -> "sha256:" + hex),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(128).map(hex -> "sha512:" + hex),
                Arbitraries.strings().withChars("abc+._-").ofMinLength(1).ofMaxLength(20)
                        .map(alg -> "a" + alg + "b:" + "x".repeat(20)));
        return Arbitraries.oneOf(HostileText.anyText(), HostileText.mutated(valid), valid);
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> component = Arbitraries.strings().withChars("abz09").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> valid = component.list().ofMinSize(1).ofMaxSize(40).map(parts -> String.join("/", parts));
        return Arbitraries.oneOf(HostileText.anyText(), HostileText.mutated(valid), valid,
                Arbitraries.integers().between(1, 10_000).map(n -> "a/".repeat(n) + "a"),
                Arbitraries.of("a/../b", "../a", "a/./b", "a//b", "/a", "a/", "a/%2e%2e/b", "a\\..\\b"));
    }

    @Provide
    Arbitrary<String> tags() {
        Arbitrary<String> valid = Arbitraries.strings().withChars("aZ09._-").ofMinLength(0).ofMaxLength(127)
                .map(rest -> "v" + rest);
        return Arbitraries.oneOf(HostileText.anyText(), HostileText.mutated(valid), valid);
    }

    @Property(tries = TRIES)
    void digestParsesOrIsDigestInvalid(@ForAll("digests") String text) {
        if (acceptsOrRefusesWithCode(() -> Digest.parse(text))) {
            Digest digest = Digest.parse(text);
            assertEquals(text, digest.toString());
            if (digest.isVerifiable()) digest.javaAlgorithm();
        }
    }

    @Property(tries = TRIES)
    void repositoryNameParsesOrIsNameInvalid(@ForAll("names") String text) {
        if (acceptsOrRefusesWithCode(() -> RepositoryName.of(text))) {
            assertEquals(text, RepositoryName.of(text).toString());
            // A valid name is a safe relative path: no empty, "." or ".." component.
            for (String part : text.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) throw new AssertionError(text);
            }
        }
    }

    @Property(tries = TRIES)
    void tagParsesOrIsTagInvalid(@ForAll("tags") String text) {
        if (acceptsOrRefusesWithCode(() -> Tag.of(text))) assertEquals(text, Tag.of(text).toString());
    }

    @Property(tries = TRIES)
    void referenceParsesOrIsCoded(@ForAll("digests") String digest, @ForAll("tags") String tag) {
        acceptsOrRefusesWithCode(() -> Reference.parse(digest));
        if (acceptsOrRefusesWithCode(() -> Reference.parse(tag))) assertEquals(tag, Reference.parse(tag).toString());
    }

    @Property(tries = TRIES)
    void mediaTypeParsesOrIsCoded(@ForAll("tags") String text) {
        acceptsOrRefusesWithCode(() -> MediaType.parse(text));
        acceptsOrRefusesWithCode(() -> MediaType.parse("application/" + text + "; charset=utf-8"));
        acceptsOrRefusesWithCode(() -> new MediaType(text));
    }

    @AfterContainer
    static void report() {
        System.out.println("FIGURES: model parser property inputs tried so far in this JVM: " + HostileText.TRIED.get());
    }
}
