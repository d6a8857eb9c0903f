package org.stevedore.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.auth.htpasswd.CredentialCache;
import org.stevedore.auth.htpasswd.HtpasswdAccessController;
import org.stevedore.auth.htpasswd.HtpasswdAuthenticator;
import org.stevedore.auth.htpasswd.HtpasswdFile;
import org.stevedore.auth.htpasswd.HtpasswdSource;
import org.stevedore.auth.rules.AccessRules;

/**
 * Basic authentication with users given in code, for embedded and test registries:
 * {@code Registry.builder().accessController(HtpasswdAuth.withUser("ci", "s3cret"))}. Every
 * listed user may do everything; anybody else gets 401. For files, see {@link AuthConfigurations}.
 * Published API.
 */
public final class HtpasswdAuth {
    private HtpasswdAuth() {
    }

    /** One user, realm {@code Stevedore}. */
    public static AccessController withUser(String user, String password) {
        return withUsers("Stevedore", Map.of(user, password));
    }

    /** Several users (name to password), hashed now with bcrypt at the default cost. */
    public static AccessController withUsers(String realm, Map<String, String> passwords) {
        List<String> lines = new ArrayList<>();
        new LinkedHashMap<>(passwords).forEach((user, password) -> {
            if (user.isEmpty() || user.contains(":")) throw new IllegalArgumentException("bad user name: " + user);
            lines.add(user + ":" + Bcrypt.hash(password, Bcrypt.DEFAULT_COST));
        });
        HtpasswdSource.Snapshot users = new HtpasswdSource.Snapshot(HtpasswdFile.parse(Path.of("<in memory>"), lines), 1);
        HtpasswdAuthenticator authenticator = new HtpasswdAuthenticator(() -> users,
                new CredentialCache(1000, Duration.ofMinutes(5)));
        return new HtpasswdAccessController(authenticator, realm, AccessRules.allowAuthenticated());
    }
}
