package org.stevedore.ui.pages;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;

/**
 * {@code /ui/delete}: a confirmation page (GET) and the deletion itself (POST, CSRF already
 * checked), only when deletion is enabled and the user may delete in the repository. Deletes
 * through the registry's {@link org.stevedore.http.ManifestDeleter}: the same service and guards
 * as {@code DELETE /v2/NAME/manifests/REF}, and the same events, notifications, metrics and
 * access line.
 */
final class DeletePage {
    private final Pages pages;

    DeletePage(Pages pages) {
        this.pages = pages;
    }

    void confirm(UiRequest request) {
        Optional<Target> target = target(request, request.query("repository"), request.query("reference"));
        if (target.isEmpty()) return;
        Map<String, Object> model = request.model("Delete " + target.get().reference);
        model.put("name", target.get().name.value());
        model.put("reference", target.get().reference.toString());
        model.put("isTag", target.get().reference instanceof Tag);
        model.put("what", target.get().reference instanceof Tag ? "tag " + target.get().reference : "manifest");
        request.html(200, "delete", model);
    }

    void submit(UiRequest request, Map<String, String> form) throws IOException {
        Optional<Target> target = target(request, form.getOrDefault("repository", ""), form.getOrDefault("reference", ""));
        if (target.isEmpty()) return;
        try {
            pages.deleter().delete(target.get().name, target.get().reference, request.user(), request.client());
        } catch (RegistryException refused) {
            if (refused.code().status() == 404) {
                Guard.notFound(request);
            } else {
                request.error(refused.code().status(), "Not deleted", refused.clientMessage()
                        + refused.detail().map(detail -> ": " + detail).orElse(""));
            }
            return;
        }
        request.redirect("/ui/r/" + target.get().name.value() + "?deleted=" + UiRequest.encode(target.get().reference.toString()));
    }

    private record Target(RepositoryName name, Reference reference) {
    }

    /** The repository and reference named, if valid and the user may delete there; else answers. */
    private Optional<Target> target(UiRequest request, String repository, String reference) {
        RepositoryName name;
        Reference parsed;
        try {
            name = RepositoryName.of(repository);
            parsed = reference.contains(":") ? Digest.parse(reference) : Tag.of(reference);
        } catch (RuntimeException invalid) {
            request.error(400, "Bad request", "That is not a repository name and a tag or digest.");
            return Optional.empty();
        }
        if (!pages.access().mayDelete(request.user(), name)) {
            if (request.user().isEmpty() && pages.access().authEnabled()) {
                request.redirect("/ui/login");
            } else {
                request.error(403, "Not allowed", "Deleting is disabled on this registry, or you may not delete in "
                        + name.value() + ".");
            }
            return Optional.empty();
        }
        return Optional.of(new Target(name, parsed));
    }
}
