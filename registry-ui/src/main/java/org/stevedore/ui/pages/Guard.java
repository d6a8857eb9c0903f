package org.stevedore.ui.pages;

import org.stevedore.model.RepositoryName;

/**
 * The check before a repository's pages: a visitor who may not pull is sent to log in; a user
 * who may not gets the same 404 as for a repository that does not exist, so pages do not tell
 * which names exist.
 */
final class Guard {
    private Guard() {
    }

    /** Whether the request may go on; when not, the answer has been sent. */
    static boolean mayPull(Pages pages, UiRequest request, RepositoryName name) {
        if (pages.access().mayPull(request.user(), name)) return true;
        if (request.user().isEmpty() && pages.access().authEnabled()) {
            request.redirect("/ui/login");
        } else {
            notFound(request);
        }
        return false;
    }

    static void notFound(UiRequest request) {
        request.error(404, "Not found", "There is no such repository or manifest, or you may not see it.");
    }
}
