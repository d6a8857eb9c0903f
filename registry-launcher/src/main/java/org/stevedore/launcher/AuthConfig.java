package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * distribution's {@code auth} section: exactly one access controller. Read and checked here;
 * the controller itself comes from an {@link AuthFactory}.
 */
sealed interface AuthConfig {
    /** The key under {@code auth}, e.g. {@code htpasswd}. */
    String type();

    /**
     * {@code auth.htpasswd}: HTTP Basic against an htpasswd file (bcrypt entries).
     *
     * @param realm {@code realm}, shown in the challenge
     * @param path  {@code path} of the htpasswd file
     */
    record Htpasswd(String realm, Path path) implements AuthConfig {
        public Htpasswd {
            Objects.requireNonNull(realm, "realm");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String type() {
            return "htpasswd";
        }
    }

    /**
     * {@code auth.token}: bearer tokens from an external token server.
     *
     * @param realm          {@code realm}: the token server's URL
     * @param service        {@code service}: this registry's name in tokens
     * @param issuer         {@code issuer}: who signs the tokens
     * @param rootCertBundle {@code rootcertbundle}: certificates whose keys sign tokens
     * @param autoRedirect   {@code autoredirect}: use the request's host in the realm
     * @param jwks           {@code jwks}: a JSON Web Key Set file, if given
     */
    record Token(String realm, String service, String issuer, Path rootCertBundle, boolean autoRedirect,
                 Optional<Path> jwks) implements AuthConfig {
        public Token {
            Objects.requireNonNull(realm, "realm");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(rootCertBundle, "rootCertBundle");
            Objects.requireNonNull(jwks, "jwks");
        }

        @Override
        public String type() {
            return "token";
        }
    }
}
