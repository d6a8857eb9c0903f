package org.stevedore.launcher;

import java.time.Duration;
import java.util.Objects;

/**
 * Stevedore's own {@code limits} section (not in distribution's format, which has no such
 * bounds): what one client may make the server hold. Every key is optional.
 *
 * <pre>
 * limits:
 *   manifestbytes: 4194304   # largest manifest accepted (413 beyond)
 *   uploadsessions: 10000    # upload sessions open at once on this node (429 beyond)
 *   uploadidle: 24h          # an upload session without data this long is deleted; 0 = never
 *   headerbytes: 65536       # largest request header block (400 beyond)
 *   pagesize: 1000           # most tags or repositories in one listing page
 * </pre>
 */
record LimitsConfig(int manifestBytes, int uploadSessions, Duration uploadIdle, int headerBytes, int pageSize) {
    static final int DEFAULT_MANIFEST_BYTES = org.stevedore.model.ManifestParser.DEFAULT_MAX_BYTES;
    static final int DEFAULT_HEADER_BYTES = 64 * 1024;
    /** Below this, ordinary requests with credentials would not fit. */
    static final int MIN_HEADER_BYTES = 1024;

    LimitsConfig {
        Objects.requireNonNull(uploadIdle, "uploadIdle");
    }

    static LimitsConfig defaults() {
        return new LimitsConfig(DEFAULT_MANIFEST_BYTES, org.stevedore.service.UploadLimits.DEFAULT_MAX_SESSIONS,
                org.stevedore.service.UploadLimits.DEFAULT_IDLE_TIMEOUT, DEFAULT_HEADER_BYTES,
                org.stevedore.service.RegistryService.DEFAULT_MAX_PAGE_SIZE);
    }
}
