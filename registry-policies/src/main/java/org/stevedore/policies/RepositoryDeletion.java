package org.stevedore.policies;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.RegistryService;
import org.stevedore.service.RepositoryContents;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Deletes a repository: its tags, manifests, blob links, referrers index and upload sessions (the
 * {@code _}-prefixed directories of its storage directory but its quota usage record, which is
 * marked stale; repositories nested under its name stay). Blobs stay in the blob store for garbage collection, which removes those no other
 * repository references. Refused while an immutable rule covers one of its tags, unless forced.
 */
public final class RepositoryDeletion {
    private RepositoryDeletion() {
    }

    /** What was deleted. */
    public record Outcome(RepositoryName name, int tags, int manifests) {
    }

    /**
     * @throws RegistryException {@code NAME_UNKNOWN} when there is no such repository; {@code DENIED}
     *     naming the immutable tags and their rule when not {@code force}d
     */
    public static Outcome delete(RegistryService service, RepositoryName name, ImmutableTags immutable, boolean force)
            throws IOException {
        StorageDriver driver = service.storage();
        if (!RepositoryContents.repositories(driver).contains(name)) {
            throw ErrorCode.NAME_UNKNOWN.withDetail(name.value());
        }
        List<Tag> tags = RepositoryContents.tags(driver, name);
        if (!force) {
            List<String> fixed = new ArrayList<>();
            for (Tag tag : tags) {
                immutable.ruleFor(name, tag).ifPresent(rule -> fixed.add(tag + " (" + rule.name() + ")"));
            }
            if (!fixed.isEmpty()) {
                throw RegistryException.withMessage(ErrorCode.DENIED, "repository " + name + " has immutable tags: "
                        + String.join(", ", fixed) + "; deleting it needs force");
            }
        }
        int manifests = RepositoryContents.revisions(driver, name).size();
        // Tags first: a half-done deletion then leaves manifests no tag names, as retention would.
        driver.delete(StorageLayout.tagsDirectory(name));
        String usage = StorageLayout.usageDirectory(name);
        for (String child : driver.list(StorageLayout.repository(name))) {
            if (StorageLayout.fileName(child).startsWith("_") && !child.equals(usage)) driver.delete(child);
        }
        // The usage record stays, marked stale: deleting it would let its generations be reused,
        // which UsageLedger's argument forbids. The catalog does not list a directory for it.
        if (driver.stat(usage).isPresent()) {
            new UsageLedger(driver, service.manifests().maxManifestBytes(), java.time.Clock.systemUTC()).invalidate(name);
        }
        service.catalog().forget(name); // after the last delete: see the catalog index
        return new Outcome(name, tags.size(), manifests);
    }
}
