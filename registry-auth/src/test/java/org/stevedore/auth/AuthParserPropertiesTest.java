package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.stevedore.auth.htpasswd.BasicCredentials;
import org.stevedore.auth.htpasswd.HtpasswdFile;
import org.stevedore.auth.htpasswd.HtpasswdFormatException;
import org.stevedore.auth.rules.AccessRules;
import org.stevedore.auth.token.InvalidTokenException;
import org.stevedore.auth.token.KeyIds;
import org.stevedore.auth.token.Scopes;
import org.stevedore.auth.token.TokenAccess;
import org.stevedore.auth.token.TokenAccessController;
import org.stevedore.auth.token.TokenIssuer;
import org.stevedore.auth.token.TokenVerifier;

/**
 * Authorization headers, bearer tokens, scopes and htpasswd lines under hostile input: Basic
 * parsing never throws, token verification throws only {@link InvalidTokenException}, access
 * controllers always decide, htpasswd parsing throws only {@link HtpasswdFormatException}.
 */
class AuthParserPropertiesTest {
    private static final int TRIES = 1000;
    private static final AtomicLong TRIED = new AtomicLong();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final TokenIssuer ISSUER = TokenIssuer.withNewKey("issuer", "registry", Duration.ofMinutes(5));
    private static final TokenVerifier VERIFIER = TokenVerifier.of("issuer", "registry", List.of())
            .trusting(KeyIds.libtrust(ISSUER.publicKey()), ISSUER.publicKey());
    private static final AccessController TOKENS = new TokenAccessController(VERIFIER, "https://auth/token", "registry",
            AccessRules.allowAuthenticated());
    private static final AccessController BASIC = HtpasswdAuth.withUser("ci", "s3cret");
    private static final List<Access> PULL = List.of(new Access("repository", "team/app", Action.PULL));

    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("ab:.=-_+/ $2y{}\\\u0000\u00e9").ofMaxLength(300),
                Arbitraries.strings().ascii().ofMinLength(4090).ofMaxLength(4200)); // around the 4096-char header bound
    }

    private static Arbitrary<String> mutated(Arbitrary<String> valid) {
        return Combinators.combine(valid, Arbitraries.integers().between(0, 100_000), Arbitraries.chars().all(),
                Arbitraries.integers().between(0, 2)).as((t, at, c, kind) -> {
                    int i = at % t.length();
                    return kind == 0 ? t.substring(0, i) + c + t.substring(i)
                            : kind == 1 ? t.substring(0, i) + t.substring(i + 1) : t.substring(0, i) + c + t.substring(i + 1);
                });
    }

    @Provide
    Arbitrary<String> basicHeaders() {
        Arbitrary<String> encoded = text().map(t -> "Basic " + Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(text(), encoded, mutated(Arbitraries.just(new BasicCredentials("ci", "wrong").header())),
                Arbitraries.of("Basic", "Basic ", "basic Y2k6czNjcmV0", "Basic ====", "Basic Y2k6", "Basic OnBhc3M="));
    }

    @Provide
    Arbitrary<String> tokens() {
        Arbitrary<String> json = Arbitraries.of("{}", "[]", "null", "1", "{\"alg\":\"ES256\"}", "{\"alg\":\"none\"}",
                "{\"alg\":\"HS256\",\"kid\":\"x\"}", "{\"alg\":\"RS256\",\"x5c\":[\"AAAA\",\"!!\"]}",
                "{\"alg\":\"ES256\",\"x5c\":[]}", "{\"alg\":\"ES256\",\"kid\":\"" + KeyIds.libtrust(ISSUER.publicKey()) + "\"}",
                "{\"iss\":\"issuer\",\"aud\":\"registry\",\"exp\":1e300,\"access\":[{\"type\":1}]}",
                "{\"iss\":\"issuer\",\"aud\":[\"registry\"],\"exp\":99999999999,\"access\":{}}",
                "[".repeat(5000), "{\"a\":".repeat(3000));
        Arbitrary<String> part = Arbitraries.oneOf(json.map(j -> URL.encodeToString(j.getBytes(StandardCharsets.UTF_8))),
                text(), Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(URL::encodeToString));
        Arbitrary<String> forged = Combinators.combine(part, part, part).as((h, c, s) -> h + "." + c + "." + s);
        String valid = ISSUER.issue(Optional.of("ci"), List.of(new TokenAccess("repository", "team/app", java.util.Set.of("pull"))))
                .token();
        return Arbitraries.oneOf(forged, text(), mutated(Arbitraries.just(valid)), Arbitraries.just(valid));
    }

    @Provide
    Arbitrary<List<String>> htpasswdLines() {
        String hash = "$2y$05$" + "abcdefghijklmnopqrstuu" + "0123456789ABCDEFGHIJKLMNOPQRSTU";
        Arbitrary<String> line = Arbitraries.oneOf(text(), text().map(user -> user + ":" + hash),
                mutated(Arbitraries.just("ci:" + hash)), Arbitraries.of("ci:$2y$99$" + "a".repeat(53), "ci:$2y$-1$x",
                        "ci:$2y$1x$" + "a".repeat(53), "ci:$apr1$x$y", "ci:{SHA}abc", "ci:plain", ":" + hash, "#c", ""));
        return line.list().ofMaxSize(10);
    }

    @Property(tries = TRIES)
    void basicHeadersParseOrAreEmpty(@ForAll("basicHeaders") String header) {
        TRIED.incrementAndGet();
        BasicCredentials.parse(header).ifPresent(credentials -> assertTrue(!credentials.user().isEmpty()));
    }

    /** Fewer tries: every parseable header costs a bcrypt check (unknown users get a dummy one, for timing). */
    @Property(tries = 50)
    void basicAccessControllerAlwaysDecides(@ForAll("basicHeaders") String header) {
        TRIED.incrementAndGet();
        Decision decision = BASIC.authorize(new Credentials(Optional.of(header), "127.0.0.1"), PULL);
        boolean right = BasicCredentials.parse(header).equals(Optional.of(new BasicCredentials("ci", "s3cret")));
        assertEquals(right, decision instanceof Decision.Allowed, "only ci:s3cret is allowed: " + header);
    }

    @Property(tries = TRIES)
    void tokensVerifyOrAreInvalid(@ForAll("tokens") String token) {
        TRIED.incrementAndGet();
        try {
            assertNotNull(VERIFIER.verify(token));
        } catch (InvalidTokenException documented) {
            // 401 invalid_token for the client
        }
        Decision decision = TOKENS.authorize(new Credentials(Optional.of("Bearer " + token), "127.0.0.1"), PULL);
        assertNotNull(decision);
    }

    @Property(tries = TRIES)
    void scopesParseWithoutThrowing(@ForAll("basicHeaders") String text) {
        TRIED.incrementAndGet();
        for (TokenAccess access : Scopes.parse(text)) assertTrue(!access.type().isEmpty());
    }

    @Property(tries = TRIES)
    void htpasswdLinesParseOrNameTheLine(@ForAll("htpasswdLines") List<String> lines) {
        TRIED.incrementAndGet();
        try {
            HtpasswdFile file = HtpasswdFile.parse(Path.of("htpasswd"), lines);
            assertTrue(file.maxCost() >= 4 && file.maxCost() <= 31, "cost " + file.maxCost());
        } catch (HtpasswdFormatException documented) {
            assertTrue(documented.getMessage().contains("htpasswd"), documented.getMessage());
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("FIGURES: auth property inputs tried: " + TRIED.get());
        assertEquals(true, TRIED.get() > 0);
    }
}
