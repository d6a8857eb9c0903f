package org.stevedore.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.auth.token.SigningAlgorithms;

/**
 * distribution's {@code auth} section: exactly one access controller. Read and checked here;
 * the controller itself comes from an {@link AuthFactory}. Stevedore's own keys
 * ({@code accessrules}, {@code token.builtin}) sit inside the section they belong to.
 */
sealed interface AuthConfig {
    /** The key under {@code auth}, e.g. {@code htpasswd}. */
    String type();

    /**
     * {@code auth.htpasswd}: HTTP Basic against an htpasswd file (bcrypt entries).
     *
     * @param realm       {@code realm}, shown in the challenge
     * @param path        {@code path} of the htpasswd file
     * @param accessRules Stevedore's {@code accessrules}: per-repository rules file, if any
     */
    record Htpasswd(String realm, Path path, Optional<Path> accessRules) implements AuthConfig {
        public Htpasswd {
            Objects.requireNonNull(realm, "realm");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(accessRules, "accessRules");
        }

        /** Without access rules, as distribution: every authenticated user may do everything. */
        public Htpasswd(String realm, Path path) {
            this(realm, path, Optional.empty());
        }

        @Override
        public String type() {
            return "htpasswd";
        }
    }

    /**
     * {@code auth.token}: bearer tokens from an external token server, or from the registry itself.
     *
     * @param realm          {@code realm}: the token server's URL
     * @param service        {@code service}: this registry's name in tokens
     * @param issuer         {@code issuer}: who signs the tokens
     * @param rootCertBundle {@code rootcertbundle}: certificates whose keys sign tokens (not with builtin;
     *                       this or {@code jwks}, or both, without builtin)
     * @param autoRedirect   {@code autoredirect}: use the request's host in the realm
     * @param jwks           {@code jwks}: a JSON Web Key Set file whose keys sign tokens, by {@code kid}
     * @param accessRules    Stevedore's {@code accessrules}: anonymous pull, catalog filtering, and
     *                       what the built-in token server grants
     * @param builtIn        Stevedore's {@code builtin}: serve {@code realm} as a token server here
     * @param signingAlgorithms {@code signingalgorithms}: the {@code alg}s a token may be signed with
     *                       (not with builtin; default: every one Stevedore verifies)
     */
    record Token(String realm, String service, String issuer, Optional<Path> rootCertBundle, boolean autoRedirect,
                 Optional<Path> jwks, Optional<Path> accessRules, Optional<BuiltInToken> builtIn,
                 SigningAlgorithms signingAlgorithms)
            implements AuthConfig {
        public Token {
            Objects.requireNonNull(realm, "realm");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(rootCertBundle, "rootCertBundle");
            Objects.requireNonNull(jwks, "jwks");
            Objects.requireNonNull(accessRules, "accessRules");
            Objects.requireNonNull(builtIn, "builtIn");
            Objects.requireNonNull(signingAlgorithms, "signingAlgorithms");
        }

        /** distribution's keys only: an external token server whose certificates are in the bundle. */
        public Token(String realm, String service, String issuer, Path rootCertBundle, boolean autoRedirect,
                     Optional<Path> jwks) {
            this(realm, service, issuer, Optional.of(rootCertBundle), autoRedirect, jwks, Optional.empty(),
                    Optional.empty(), SigningAlgorithms.DEFAULT);
        }

        @Override
        public String type() {
            return "token";
        }
    }

    /**
     * {@code auth.token.builtin}: the registry answers {@code realm} itself, checking Basic
     * credentials against {@code htpasswd} and granting what the access rules allow.
     *
     * @param htpasswd   {@code htpasswd}: the users' file
     * @param expiration {@code expiration}: how long issued tokens are valid
     * @param signingKey {@code signingkey}: the file keeping the signing key; empty: a new key each start
     */
    record BuiltInToken(Path htpasswd, Duration expiration, Optional<Path> signingKey) {
        public BuiltInToken {
            Objects.requireNonNull(htpasswd, "htpasswd");
            Objects.requireNonNull(signingKey, "signingKey");
            if (expiration.isZero() || expiration.isNegative()) throw new IllegalArgumentException("expiration");
        }

        BuiltInToken(Path htpasswd, Duration expiration) {
            this(htpasswd, expiration, Optional.empty());
        }
    }
}
