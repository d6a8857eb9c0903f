package org.stevedore.ui.session;

import java.util.List;
import java.util.Optional;
import org.stevedore.auth.Access;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Action;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;
import org.stevedore.model.RepositoryName;

/**
 * What a UI user may see and do, decided by the registry's own access controller: a logged-in
 * user gets what {@link AccessController#permits} gives them, a visitor what an anonymous
 * {@code /v2/} request would get (anonymous pull rules). Without a controller anyone may do
 * anything the registry allows.
 */
public final class UiAccess {
    private final Optional<AccessController> controller;
    private final boolean deleteAllowed;

    public UiAccess(Optional<AccessController> controller, boolean deleteEnabled, boolean readOnly) {
        this.controller = controller;
        this.deleteAllowed = deleteEnabled && !readOnly;
    }

    /** Whether the registry asks for credentials at all (else there is no login form). */
    public boolean authEnabled() {
        return controller.isPresent();
    }

    public boolean mayPull(Optional<String> user, RepositoryName name) {
        return allows(user, Access.repository(name, Action.PULL));
    }

    /** Deletion is enabled, the registry is writable, and the user may delete in {@code name}. */
    public boolean mayDelete(Optional<String> user, RepositoryName name) {
        return deleteAllowed && allows(user, Access.repository(name, Action.DELETE));
    }

    /**
     * Whether the user may see what only administrators see (the retention preview): the access
     * {@code registry:admin:*} that the policies API asks for.
     */
    public boolean mayAdminister(Optional<String> user) {
        return allows(user, org.stevedore.policies.PoliciesApi.ADMIN);
    }

    private boolean allows(Optional<String> user, Access access) {
        if (controller.isEmpty()) return true;
        if (user.isPresent()) return controller.get().permits(user, access);
        Decision anonymous = controller.get().authorize(new Credentials(Optional.empty(), "ui"), List.of(access));
        return anonymous instanceof Decision.Allowed;
    }
}
