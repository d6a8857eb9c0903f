package org.stevedore.ui.browse;

import java.time.Instant;
import java.util.Optional;

/**
 * A repository as the repositories page shows it.
 *
 * @param size     the distinct blobs its manifests use, summed
 * @param lastPush the newest manifest push; empty without manifests
 */
public record RepositorySummary(String name, int tagCount, long size, Optional<Instant> lastPush) {
}
