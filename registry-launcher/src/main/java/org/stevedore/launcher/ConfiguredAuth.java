package org.stevedore.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.stevedore.auth.Access;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.Challenge;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;

/** The {@link AuthFactory} of the real server: distribution's {@code auth} section on registry-auth. */
final class ConfiguredAuth implements AuthFactory {

    @Override
    public AccessController create(AuthConfig config) {
        return setUp(config).controller();
    }

    @Override
    public AuthSetup setUp(AuthConfig config) {
        if (config instanceof AuthConfig.Htpasswd htpasswd) {
            if (!Files.isRegularFile(htpasswd.path())) return new AuthSetup(new WaitingForHtpasswd(htpasswd), Map.of());
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

    /**
     * {@code auth.htpasswd.path} names no file yet (Debian's shipped config points at a
     * directory): like distribution 2.8, start anyway, but let nobody in until the file exists,
     * then hand over to the real controller. Checked at most once a second.
     */
    static final class WaitingForHtpasswd implements AccessController {
        private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;
        private final AuthConfig.Htpasswd config;
        private final Challenge challenge;
        private volatile AccessController ready;
        private volatile long nextCheckNanos;

        WaitingForHtpasswd(AuthConfig.Htpasswd config) {
            this.config = config;
            this.challenge = new Challenge("Basic", Map.of("realm", config.realm()));
            LoggerFactory.getLogger(ConfiguredAuth.class).warn("auth.htpasswd.path {} is not an htpasswd file;"
                    + " nobody can log in until it is (make one with: stevedore htpasswd -Bbn USER PASSWORD)",
                    config.path());
        }

        @Override
        public Decision authorize(Credentials credentials, List<Access> needed) {
            AccessController controller = controller();
            if (controller != null) return controller.authorize(credentials, needed);
            return new Decision.Unauthenticated(challenge, "no users are configured yet");
        }

        @Override
        public boolean permits(Optional<String> user, Access access) {
            AccessController controller = controller();
            return controller != null && controller.permits(user, access);
        }

        private AccessController controller() {
            AccessController current = ready;
            if (current != null) return current;
            long now = System.nanoTime();
            if (now - nextCheckNanos < 0) return null;
            synchronized (this) {
                if (ready == null && now - nextCheckNanos >= 0) {
                    nextCheckNanos = now + CHECK_INTERVAL_NANOS;
                    if (Files.isRegularFile(config.path())) {
                        ready = htpasswdController(config);
                    }
                }
                return ready;
            }
        }
    }
}
