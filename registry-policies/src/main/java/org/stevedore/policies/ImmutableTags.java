package org.stevedore.policies;

import java.util.List;
import java.util.Optional;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.ManifestGuard;

/**
 * Immutable tags: a tag a rule covers may be created once and pushed again with the same digest
 * (CI re-runs), but never moved to another digest nor deleted, by a tag DELETE or by deleting the
 * manifest it points at. Refusals are 403 {@code DENIED} whose message names the tag and the
 * rule, as clients print it. The first rule covering a tag is the one named.
 */
public final class ImmutableTags implements ManifestGuard {
    private final List<ImmutableRule> rules;

    public ImmutableTags(List<ImmutableRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<ImmutableRule> rules() {
        return rules;
    }

    /** The first rule covering {@code tag} in {@code repository}, if any. */
    public Optional<ImmutableRule> ruleFor(RepositoryName repository, Tag tag) {
        for (ImmutableRule rule : rules) {
            if (rule.covers(repository, tag)) return Optional.of(rule);
        }
        return Optional.empty();
    }

    /** Whether some rule covers a repository at all (for repository deletion). */
    public boolean coversAnyTagOf(RepositoryName repository) {
        return rules.stream().anyMatch(rule -> rule.repositories().matches(repository.value()));
    }

    @Override
    public boolean guards(RepositoryName name, Tag tag) {
        return ruleFor(name, tag).isPresent();
    }

    @Override
    public void beforeTag(RepositoryName name, Tag tag, Optional<Digest> current, Digest next) {
        if (current.isEmpty() || current.get().equals(next)) return;
        throw denied(name, tag, "cannot be moved from " + current.get() + " to " + next);
    }

    @Override
    public void beforeUntag(RepositoryName name, Tag tag, Digest current) {
        throw denied(name, tag, "cannot be deleted (it points at " + current + ")");
    }

    private RegistryException denied(RepositoryName name, Tag tag, String what) {
        ImmutableRule rule = ruleFor(name, tag).orElseThrow();
        return RegistryException.withMessage(ErrorCode.DENIED,
                "tag " + name + ":" + tag + " is immutable and " + what + "; rule " + rule.describe());
    }
}
