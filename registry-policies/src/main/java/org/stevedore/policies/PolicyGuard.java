package org.stevedore.policies;

import java.io.IOException;
import java.util.Optional;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.ManifestGuard;

/** Quotas, then immutable tags: the one guard a registry gets from its policies. */
final class PolicyGuard implements ManifestGuard {
    private final ImmutableTags immutable;
    private final Quotas quotas;

    PolicyGuard(ImmutableTags immutable, Quotas quotas) {
        this.immutable = immutable;
        this.quotas = quotas;
    }

    @Override
    public Admission admitManifest(RepositoryName name, Manifest manifest) throws IOException {
        return quotas.admitManifest(name, manifest);
    }

    @Override
    public void beforeUpload(RepositoryName name, long declaredBytes, Optional<Digest> digest) throws IOException {
        quotas.beforeUpload(name, declaredBytes, digest);
    }

    @Override
    public void afterManifestDelete(RepositoryName name, Digest digest) throws IOException {
        quotas.afterManifestDelete(name, digest);
    }

    @Override
    public boolean guards(RepositoryName name, Tag tag) {
        return immutable.guards(name, tag);
    }

    @Override
    public void beforeTag(RepositoryName name, Tag tag, Optional<Digest> current, Digest next) {
        immutable.beforeTag(name, tag, current, next);
    }

    @Override
    public void beforeUntag(RepositoryName name, Tag tag, Digest current) {
        immutable.beforeUntag(name, tag, current);
    }
}
