package org.stevedore.policies;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.ManifestGuard;
import org.stevedore.storage.StorageDriver;

/**
 * Quotas, enforced where a push becomes visible: a manifest PUT that would take its repository
 * past its quota answers 403 {@code DENIED} with "used X of Y" and nothing is stored (the blobs
 * it uploaded stay unreferenced, for garbage collection). Usage is read from storage at each
 * check, so every node sees every other node's pushes; concurrent pushes on several nodes may
 * each pass before seeing the others, so a repository can exceed its quota by at most the pushes
 * in flight at that moment. Deleting manifests gives the space back at once.
 */
public final class Quotas implements ManifestGuard {
    private final List<QuotaRule> rules;
    private final StorageDriver driver;
    private final int maxManifestBytes;

    public Quotas(List<QuotaRule> rules, StorageDriver driver, int maxManifestBytes) {
        this.rules = List.copyOf(rules);
        this.driver = driver;
        this.maxManifestBytes = maxManifestBytes;
    }

    /** The first rule matching {@code name}. */
    public Optional<QuotaRule> ruleFor(RepositoryName name) {
        return rules.stream().filter(rule -> rule.repositories().matches(name.value())).findFirst();
    }

    @Override
    public boolean guards(RepositoryName name, Tag tag) {
        return false;
    }

    @Override
    public void beforeManifest(RepositoryName name, Manifest manifest) throws IOException {
        Optional<QuotaRule> rule = ruleFor(name);
        if (rule.isEmpty()) return;
        Map<Digest, Long> counted = RepositoryUsage.referencedSizes(driver, name, maxManifestBytes);
        long used = counted.values().stream().mapToLong(Long::longValue).sum();
        long added = counted.containsKey(manifest.digest()) ? 0 : manifest.bytes().length;
        for (Descriptor blob : manifest.blobReferences()) {
            if (!counted.containsKey(blob.digest())) added += blob.size();
        }
        if (added > 0 && used + added > rule.get().bytes()) {
            throw RegistryException.withMessage(ErrorCode.DENIED, "quota exceeded: repository " + name + " used "
                    + ByteSize.text(used) + " of " + ByteSize.text(rule.get().bytes()) + " (" + used + " of "
                    + rule.get().bytes() + " bytes), this push adds " + added + " bytes; rule " + rule.get().name());
        }
    }
}
