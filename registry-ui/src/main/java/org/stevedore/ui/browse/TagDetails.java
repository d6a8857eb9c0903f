package org.stevedore.ui.browse;

import java.time.Instant;
import org.stevedore.model.Digest;

/** A tag as the repository page shows it. */
public record TagDetails(String tag, Instant pushed, Digest digest, ManifestSummary summary) {
}
