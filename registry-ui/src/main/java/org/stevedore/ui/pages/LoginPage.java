package org.stevedore.ui.pages;

import java.util.Map;
import java.util.Optional;

/**
 * {@code /ui/login}: the form, and its POST, which checks the registry's own credentials and
 * starts a new session (new nonce: a session fixed before login is worth nothing after it).
 */
final class LoginPage {
    private static final int MAX_FIELD = 1024;

    private final Pages pages;

    LoginPage(Pages pages) {
        this.pages = pages;
    }

    void show(UiRequest request) {
        if (!pages.access().authEnabled()) {
            request.redirect("/ui/");
            return;
        }
        Map<String, Object> model = request.model("Log in");
        model.put("failed", false);
        model.put("username", "");
        request.html(200, "login", model);
    }

    /** The form's fields, CSRF already checked. Wrong credentials show the form again. */
    void submit(UiRequest request, Map<String, String> form) {
        if (!pages.access().authEnabled()) {
            request.redirect("/ui/");
            return;
        }
        String user = form.getOrDefault("username", "");
        String password = form.getOrDefault("password", "");
        Optional<String> authenticated = Optional.empty();
        if (!user.isEmpty() && user.length() <= MAX_FIELD && password.length() <= MAX_FIELD) {
            authenticated = pages.login().authenticate(user, password);
        }
        if (authenticated.isEmpty()) {
            Map<String, Object> model = request.model("Log in");
            model.put("failed", true);
            model.put("username", user.length() <= MAX_FIELD ? user : "");
            request.html(200, "login", model);
            return;
        }
        request.startSession(authenticated);
        request.redirect("/ui/");
    }

    void logout(UiRequest request) {
        request.startSession(Optional.empty());
        request.redirect("/ui/");
    }
}
