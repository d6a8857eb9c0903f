package org.stevedore.ui.pages;

import java.time.Clock;
import java.util.Optional;
import org.stevedore.http.ManifestDeleter;
import org.stevedore.ui.browse.Browser;
import org.stevedore.ui.browse.Governance;
import org.stevedore.ui.session.UiAccess;
import org.stevedore.ui.session.UiLogin;

/** What every page handler shares: templates, assets, the readers, access decisions, the clock. */
public final class Pages {
    private final Templates templates = new Templates();
    private final StaticAssets assets = new StaticAssets();
    private final Browser browser;
    private final UiAccess access;
    private final UiLogin login;
    private final Clock clock;
    private final ManifestDeleter deleter;
    private final Optional<Governance> governance;

    public Pages(Browser browser, UiAccess access, UiLogin login, Clock clock, ManifestDeleter deleter,
                 Optional<Governance> governance) {
        this.deleter = deleter;
        this.governance = governance;
        this.browser = browser;
        this.access = access;
        this.login = login;
        this.clock = clock;
    }

    Templates templates() {
        return templates;
    }

    public StaticAssets assets() {
        return assets;
    }

    Browser browser() {
        return browser;
    }

    UiAccess access() {
        return access;
    }

    UiLogin login() {
        return login;
    }

    /** Deletes as {@code DELETE /v2/…} would, observed alike. */
    ManifestDeleter deleter() {
        return deleter;
    }

    /** Usage, quotas and the retention preview; empty when the UI shows no governance. */
    Optional<Governance> governance() {
        return governance;
    }

    Clock clock() {
        return clock;
    }
}
