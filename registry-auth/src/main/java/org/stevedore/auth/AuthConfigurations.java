package org.stevedore.auth;

import io.undertow.server.HttpHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.auth.htpasswd.HtpasswdAccessController;
import org.stevedore.auth.htpasswd.HtpasswdAuthenticator;
import org.stevedore.auth.htpasswd.HtpasswdSource;
import org.stevedore.auth.rules.AccessRules;
import org.stevedore.auth.token.JsonWebKeySet;
import org.stevedore.auth.token.SigningAlgorithms;
import org.stevedore.auth.token.IssuedTokenExpiry;
import org.stevedore.auth.token.TokenAccessController;
import org.stevedore.auth.token.TokenEndpoint;
import org.stevedore.auth.token.TokenIssuer;
import org.stevedore.auth.token.TokenVerifier;

/**
 * Ready-made access controllers for what distribution's {@code config.yml} can say under
 * {@code auth}, for the launcher and for embedders. Each reads and checks its files at once and
 * throws {@link IllegalArgumentException} or {@link java.io.UncheckedIOException} with the file
 * (and line) that is wrong. Published API.
 *
 * <pre>{@code
 * Registry.builder().accessController(AuthConfigurations.htpasswd(file, "Registry Realm", Optional.empty()))
 *
 * BuiltInTokenServer tokens = AuthConfigurations.builtInToken(URI.create("https://reg.example/token"),
 *         "reg.example", "stevedore", htpasswdFile, Optional.of(rulesFile));
 * Registry.builder().accessController(tokens.controller()).extraRoute(tokens.path(), tokens.endpoint())
 * }</pre>
 */
public final class AuthConfigurations {
    /** Lifetime of tokens from the built-in token server, as distribution's tooling uses. */
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    private AuthConfigurations() {
    }

    /**
     * {@code auth.htpasswd}: Basic authentication against {@code file} (bcrypt only, re-read
     * when it changes; a missing or bad file lets nobody in until a good one appears, and one
     * turning bad leaves the last good version in use, see {@link HtpasswdSource}), with optional
     * per-repository {@code accessRules} (YAML or JSON, see {@link AccessRules}); without rules
     * every authenticated user may do everything.
     */
    public static AccessController htpasswd(Path file, String realm, Optional<Path> accessRules) {
        Objects.requireNonNull(realm, "realm");
        HtpasswdAuthenticator authenticator = HtpasswdAuthenticator.over(HtpasswdSource.watch(file));
        return new HtpasswdAccessController(authenticator, realm, rules(accessRules));
    }

    /**
     * {@code auth.token}: bearer tokens from an external token server at {@code realm}, signed
     * by a key whose certificate (or chain) is in {@code rootCertBundle} (PEM), issued by
     * {@code issuer} for {@code service}. Optional {@code accessRules} add anonymous pull and
     * filter the catalog.
     */
    public static AccessController token(String realm, String service, String issuer, Path rootCertBundle,
                                         Optional<Path> accessRules) {
        return token(realm, service, issuer, Optional.of(rootCertBundle), Optional.empty(), accessRules);
    }

    /**
     * {@code auth.token} with distribution 3's {@code jwks}: tokens signed by a key whose
     * certificate is in {@code rootCertBundle}, or by a key of the JSON Web Key Set file
     * {@code jwks} (see {@link JsonWebKeySet}) named by the token's {@code kid}; either file or
     * both. Both are read and checked now; throws if together they hold no key that could sign
     * a token.
     */
    public static AccessController token(String realm, String service, String issuer, Optional<Path> rootCertBundle,
                                         Optional<Path> jwks, Optional<Path> accessRules) {
        return token(realm, service, issuer, rootCertBundle, jwks, accessRules, SigningAlgorithms.DEFAULT);
    }

    /**
     * As {@link #token(String, String, String, Optional, Optional, Optional)}, accepting only
     * tokens signed with one of {@code signingAlgorithms} (distribution 3's
     * {@code signingalgorithms}); any other gets 401 like every bad token.
     */
    public static AccessController token(String realm, String service, String issuer, Optional<Path> rootCertBundle,
                                         Optional<Path> jwks, Optional<Path> accessRules,
                                         SigningAlgorithms signingAlgorithms) {
        TokenVerifier verifier = TokenVerifier.of(issuer, service,
                rootCertBundle.map(TokenVerifier::readBundle).orElse(java.util.List.of())).allowing(signingAlgorithms);
        if (jwks.isPresent()) verifier = verifier.trusting(JsonWebKeySet.read(jwks.get()));
        if (!verifier.hasSigningKey()) {
            throw new IllegalArgumentException("token auth requires at least one token signing key: "
                    + jwks.map(file -> "the JWK Set " + file + " has none (keys marked use=enc, or for another alg,"
                    + " do not count)").orElse("give rootcertbundle or jwks"));
        }
        return new TokenAccessController(verifier, realm, service, rules(accessRules));
    }

    /**
     * The built-in token server: serves {@code realm}'s path on the registry itself (wire it with
     * {@code RegistryBuilder.extraRoute(path(), endpoint())}), checks htpasswd and the access
     * rules there, and has the registry accept the tokens it signs.
     */
    public static BuiltInTokenServer builtInToken(URI realm, String service, String issuer, Path htpasswd,
                                                  Optional<Path> accessRules) {
        return builtInToken(realm, service, issuer, htpasswd, accessRules, TOKEN_LIFETIME);
    }

    /** As {@link #builtInToken(URI, String, String, Path, Optional)}, with tokens valid for {@code lifetime}. */
    public static BuiltInTokenServer builtInToken(URI realm, String service, String issuer, Path htpasswd,
                                                  Optional<Path> accessRules, Duration lifetime) {
        return builtInToken(realm, service, issuer, htpasswd, accessRules, lifetime, Optional.empty());
    }

    /**
     * As {@link #builtInToken(URI, String, String, Path, Optional, Duration)}, signing with the key
     * in {@code signingKey} (created if absent, see {@link org.stevedore.auth.token.SigningKeyFile}),
     * so tokens survive restarts; empty: a new key each start.
     */
    public static BuiltInTokenServer builtInToken(URI realm, String service, String issuer, Path htpasswd,
                                                  Optional<Path> accessRules, Duration lifetime,
                                                  Optional<Path> signingKey) {
        String path = realm.getPath();
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("token realm needs a path: " + realm);
        AccessRules rules = rules(accessRules);
        HtpasswdAuthenticator authenticator = HtpasswdAuthenticator.over(HtpasswdSource.watch(htpasswd));
        // Shared by the issuer and the verifier, so that Faults#expireTokensNow can expire what was issued.
        IssuedTokenExpiry expiry = new IssuedTokenExpiry();
        TokenIssuer tokenIssuer = signingKey
                .map(file -> TokenIssuer.withKey(org.stevedore.auth.token.SigningKeyFile.loadOrCreate(file), issuer,
                        service, lifetime))
                .orElseGet(() -> TokenIssuer.withNewKey(issuer, service, lifetime))
                .expiring(expiry);
        TokenVerifier verifier = TokenVerifier.of(issuer, service, java.util.List.of())
                .trusting(tokenIssuer.keyId(), tokenIssuer.publicKey());
        return new BuiltInTokenServer(new TokenAccessController(verifier, realm.toString(), service, rules,
                Optional.of(expiry)),
                path, new TokenEndpoint(tokenIssuer, authenticator, rules, service));
    }

    /** A built-in token server: the registry's controller and the endpoint to serve at {@code path}. */
    public record BuiltInTokenServer(AccessController controller, String path, HttpHandler endpoint) {
    }

    private static AccessRules rules(Optional<Path> file) {
        return file.map(AccessRules::load).orElseGet(AccessRules::allowAuthenticated);
    }
}
