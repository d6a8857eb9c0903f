package org.stevedore.launcher;

import java.util.Optional;
import org.stevedore.auth.htpasswd.HtpasswdAuthenticator;
import org.stevedore.auth.htpasswd.HtpasswdSource;
import org.stevedore.ui.WebUi;
import org.stevedore.ui.session.UiLogin;

/**
 * The web UI as configured: its session key, and how its login form checks passwords. With
 * htpasswd the registry's controller checks them as for {@code docker login}; with the built-in
 * token server its users file does; with an external token server the UI cannot check passwords,
 * so it shows only what anonymous pull rules allow.
 */
final class ConfiguredUi {
    private ConfiguredUi() {
    }

    static WebUi webUi(UiConfig ui, Optional<AuthConfig> auth) {
        WebUi web = WebUi.defaults();
        if (ui.sessionKey().isPresent()) web = web.sessionKey(ui.sessionKey().get());
        if (auth.isPresent() && auth.get() instanceof AuthConfig.Token token) {
            if (token.builtIn().isPresent()) {
                HtpasswdAuthenticator users = HtpasswdAuthenticator.over(HtpasswdSource.watch(token.builtIn().get().htpasswd()));
                web = web.login((user, password) -> users.authenticate(user, password) ? Optional.of(user) : Optional.empty());
            } else {
                web = web.login(UiLogin.NOBODY);
            }
        }
        return web;
    }
}
