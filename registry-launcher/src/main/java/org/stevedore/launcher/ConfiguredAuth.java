package org.stevedore.launcher;

import java.net.URI;
import java.util.Map;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.AuthConfigurations;

/** The {@link AuthFactory} of the real server: distribution's {@code auth} section on registry-auth. */
final class ConfiguredAuth implements AuthFactory {

    @Override
    public AccessController create(AuthConfig config) {
        return setUp(config).controller();
    }

    @Override
    public AuthSetup setUp(AuthConfig config) {
        if (config instanceof AuthConfig.Htpasswd htpasswd) {
            // A path with no usable file yet (Debian's shipped config.yml names a directory) starts
            // anyway, as in distribution, letting nobody in until a good file appears (HtpasswdSource).
            return new AuthSetup(htpasswdController(htpasswd), Map.of());
        }
        AuthConfig.Token token = (AuthConfig.Token) config;
        if (token.builtIn().isPresent()) {
            AuthConfig.BuiltInToken builtIn = token.builtIn().get();
            AuthConfigurations.BuiltInTokenServer server = AuthConfigurations.builtInToken(URI.create(token.realm()),
                    token.service(), token.issuer(), builtIn.htpasswd(), token.accessRules(), builtIn.expiration(),
                    builtIn.signingKey());
            return new AuthSetup(server.controller(), Map.of(server.path(), server.endpoint()));
        }
        return new AuthSetup(AuthConfigurations.token(token.realm(), token.service(), token.issuer(),
                token.rootCertBundle(), token.jwks(), token.accessRules(), token.signingAlgorithms()), Map.of());
    }

    private static AccessController htpasswdController(AuthConfig.Htpasswd htpasswd) {
        return AuthConfigurations.htpasswd(htpasswd.path(), htpasswd.realm(), htpasswd.accessRules());
    }
}
