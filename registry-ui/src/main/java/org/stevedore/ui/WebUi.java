package org.stevedore.ui;

import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.stevedore.registry.MountContext;
import org.stevedore.policies.Policies;
import org.stevedore.ui.browse.Browser;
import org.stevedore.ui.browse.Governance;
import org.stevedore.ui.pages.Pages;
import org.stevedore.ui.pages.UiRouter;
import org.stevedore.ui.session.SessionCodec;
import org.stevedore.ui.session.SessionKey;
import org.stevedore.ui.session.UiAccess;
import org.stevedore.ui.session.UiLogin;

/**
 * The web UI, mounted on a registry under {@link #PREFIX}. Immutable; published API.
 *
 * <pre>{@code
 * Registry.builder().mount(WebUi.PREFIX, WebUi.defaults()).start();   // http://127.0.0.1:PORT/ui/
 * }</pre>
 *
 * Sessions are signed cookies: without {@link #sessionKey}, the key is read from (or first
 * written to) the registry's storage, so every node over one store accepts the same cookies.
 */
public final class WebUi implements Function<MountContext, HttpHandler> {
    public static final String PREFIX = "/ui/";
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofHours(8);

    private final Optional<byte[]> sessionKey;
    private final Optional<UiLogin> login;
    private final Duration sessionLifetime;
    private final Optional<Policies> policies;

    private WebUi(Optional<byte[]> sessionKey, Optional<UiLogin> login, Duration sessionLifetime,
                  Optional<Policies> policies) {
        this.sessionKey = sessionKey;
        this.login = login;
        this.sessionLifetime = sessionLifetime;
        this.policies = policies;
    }

    /** Session key from storage, logins checked by the registry's access controller, 8 h sessions. */
    public static WebUi defaults() {
        return new WebUi(Optional.empty(), Optional.empty(), DEFAULT_SESSION_LIFETIME, Optional.empty());
    }

    /** Signs session cookies with this key (at least 32 bytes), e.g. from configuration. */
    public WebUi sessionKey(byte[] key) {
        if (key.length < 32) throw new IllegalArgumentException("the UI session key needs at least 32 bytes");
        return new WebUi(Optional.of(key.clone()), login, sessionLifetime, policies);
    }

    /**
     * Checks the login form with {@code check}; needed for token auth, whose controller takes
     * only bearer tokens (give the built-in token server's users). Default: Basic credentials
     * asked of the registry's access controller.
     */
    public WebUi login(UiLogin check) {
        return new WebUi(sessionKey, Optional.of(Objects.requireNonNull(check, "check")), sessionLifetime, policies);
    }

    /** How long a session lasts after login; default {@link #DEFAULT_SESSION_LIFETIME}. */
    public WebUi sessionLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) throw new IllegalArgumentException("lifetime must be positive");
        return new WebUi(sessionKey, login, lifetime, policies);
    }

    /**
     * Shows governance by these policies (those the registry enforces): each repository's usage
     * against its quota to whoever may pull it, and the retention preview to administrators
     * ({@code registry:admin:*}). Default: no governance pages.
     */
    public WebUi policies(Policies governing) {
        return new WebUi(sessionKey, login, sessionLifetime, Optional.of(Objects.requireNonNull(governing, "governing")));
    }

    /** Makes the UI's handler for a starting registry; called by the registry. */
    @Override
    public HttpHandler apply(MountContext registry) {
        java.util.function.Supplier<byte[]> key = () -> sessionKey.orElseGet(
                () -> SessionKey.loadOrCreate(registry.service().storage()));
        UiLogin check = login.orElseGet(() -> registry.accessController().map(UiLogin::basic)
                .orElse(UiLogin.NOBODY));
        Pages pages = new Pages(new Browser(registry.service()),
                new UiAccess(registry.accessController(), registry.deleteEnabled(), registry.readOnly()), check,
                Clock.systemUTC(), registry.deleter(),
                policies.map(p -> new Governance(registry.service(), p, Clock.systemUTC())));
        return new UiRouter(pages, new SessionCodec(key, sessionLifetime, Clock.systemUTC()), registry.tls(),
                registry.accessLogAtInfo());
    }
}
