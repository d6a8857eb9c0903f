package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.hostile.HostileText.acceptsOrRefusesWithCode;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.stevedore.hostile.HostileText;
import org.stevedore.service.PageRequest;

/**
 * The HTTP layer's own parsers under hostile text: {@code Content-Length}, {@code Content-Range} of upload chunks,
 * {@code Range} of blob reads, the {@code n}/{@code last} page parameters and the router. Only
 * coded errors (or, for {@code Range}, the documented {@link ByteRange.Unsatisfiable}).
 */
class HttpParserPropertiesTest {
    private static final int TRIES = 1000;

    @Provide
    Arbitrary<String> ranges() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
                Arbitraries.strings().numeric().ofMaxLength(40), Arbitraries.of("", "-1", "+1", "1e3", "0x10", " 1"));
        Arbitrary<String> shaped = net.jqwik.api.Combinators.combine(
                Arbitraries.of("", "bytes=", "bytes ", "BYTES=", "bytes=bytes="), number, Arbitraries.of("-", "--", ",", ""),
                number, Arbitraries.of("", "/*", "/10", "/", ",0-1", ", 5-")).as((a, b, c, d, e) -> a + b + c + d + e);
        return Arbitraries.oneOf(shaped, HostileText.anyText(), HostileText.mutated(shaped));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().withChars("az09._-:%2eEfF").ofMaxLength(20),
                Arbitraries.of("..", ".", "%2e%2e", "%2F", "blobs", "uploads", "manifests", "tags", "list", "referrers",
                        "sha256:" + "a".repeat(64), "_uploads", "_manifests"));
        Arbitrary<String> shaped = segment.list().ofMaxSize(12).map(parts -> "/v2/" + String.join("/", parts));
        return Arbitraries.oneOf(shaped, HostileText.anyText(), HostileText.mutated(shaped),
                Arbitraries.integers().between(1, 10_000).map(n -> "/v2/" + "a/".repeat(n) + "tags/list"));
    }

    @Property(tries = TRIES)
    void contentRangeParsesOrIsRangeInvalid(@ForAll("ranges") String header) {
        if (acceptsOrRefusesWithCode(() -> ContentRange.parse(header))) {
            ContentRange range = ContentRange.parse(header);
            assertTrue(range.start() >= 0 && range.end() >= range.start() && range.length() > 0, header);
        }
    }

    @Provide
    Arbitrary<String> lengths() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> unicodeDigits = Arbitraries.strings().withCharRange('\u0660', '\u0669')
                .withCharRange('\uff10', '\uff19').withCharRange('0', '9').ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> signed = Arbitraries.longs().map(String::valueOf);
        Arbitrary<String> pastLong = Arbitraries.bigIntegers().between(java.math.BigInteger.valueOf(Long.MAX_VALUE),
                java.math.BigInteger.TEN.pow(40)).map(java.math.BigInteger::toString);
        return Arbitraries.oneOf(digits, unicodeDigits, signed, pastLong, HostileText.anyText(), HostileText.mutated(digits));
    }

    /** Any text is a length that a long holds and is what its ASCII digits say, or SIZE_INVALID. */
    @Property(tries = TRIES)
    void contentLengthIsItsAsciiDigitsOrSizeInvalid(@ForAll("lengths") String header) {
        if (acceptsOrRefusesWithCode(() -> ContentLength.parse(header))) {
            long length = ContentLength.parse(header);
            assertTrue(length >= 0 && header.trim().chars().allMatch(c -> c >= '0' && c <= '9'), header);
            assertTrue(new java.math.BigInteger(header.trim()).longValueExact() == length, header);
        }
    }

    @Property(tries = TRIES)
    void byteRangeIsWithinTheBlobOrUnsatisfiable(@ForAll("ranges") String header,
                                                 @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long size) {
        HostileText.TRIED.incrementAndGet();
        try {
            Optional<ByteRange> range = ByteRange.parse(header, size);
            range.ifPresent(r -> assertTrue(r.start() >= 0 && r.start() <= r.end() && r.end() < size,
                    () -> header + " over " + size + " gave " + r));
        } catch (ByteRange.Unsatisfiable documented) {
            // 416 for the client
        }
    }

    @Property(tries = TRIES)
    void pageParametersParseOrArePaginationNumberInvalid(@ForAll("ranges") String n, @ForAll("paths") String last) {
        if (acceptsOrRefusesWithCode(() -> PageRequest.parse(Optional.of(n), Optional.of(last)))) {
            PageRequest request = PageRequest.parse(Optional.of(n), Optional.of(last));
            request.n().ifPresent(count -> assertTrue(count >= 0, n));
        }
    }

    @Property(tries = TRIES)
    void routerRoutesOrRefusesWithACode(@ForAll("paths") String path) {
        acceptsOrRefusesWithCode(() -> V2Router.route(path));
    }

    @AfterContainer
    static void report() {
        System.out.println("FIGURES: HTTP parser property inputs tried so far in this JVM: " + HostileText.TRIED.get());
    }
}
