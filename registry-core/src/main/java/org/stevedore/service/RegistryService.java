package org.stevedore.service;

import org.stevedore.model.ManifestParser;
import org.stevedore.storage.CheckedDriver;
import org.stevedore.storage.StorageDriver;

/**
 * The registry's operations without HTTP, over one storage driver: for the HTTP layer, and for
 * CI tooling that wants to read or write a registry's storage directly. Thread-safe.
 */
public final class RegistryService {
    /** Largest page of tags or repositories one request gets. */
    public static final int DEFAULT_MAX_PAGE_SIZE = 1000;

    private final StorageDriver driver;
    private final BlobService blobs;
    private final UploadService uploads;
    private final ManifestService manifests;
    private final TagService tags;
    private final CatalogService catalog;
    private final ReferrersService referrers;
    private final GarbageCollector garbageCollector;
    private final UploadPurger uploadPurger;

    private RegistryService(StorageDriver driver, int maxManifestBytes, int maxPageSize, UploadLimits uploadLimits,
                            ManifestGuard guard) {
        this.driver = CheckedDriver.wrap(driver);
        CatalogIndex catalogIndex = new CatalogIndex(this.driver, java.time.Clock.systemUTC());
        this.blobs = new BlobService(this.driver, new BlobLocks(), new PresenceCache(this.driver.presenceCacheTtl()),
                catalogIndex);
        this.uploads = new UploadService(this.driver, blobs, uploadLimits, guard);
        this.referrers = new ReferrersService(this.driver, maxManifestBytes, maxPageSize);
        this.manifests = new ManifestService(this.driver, blobs, referrers, maxManifestBytes, guard);
        this.garbageCollector = new GarbageCollector(this.driver, blobs, maxManifestBytes);
        this.uploadPurger = new UploadPurger(this.driver, uploads::forget);
        this.tags = new TagService(this.driver, maxPageSize);
        this.catalog = new CatalogService(catalogIndex, maxPageSize);
    }

    /** Services over {@code driver} with the default limits. */
    public static RegistryService over(StorageDriver driver) {
        return over(driver, ManifestParser.DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGE_SIZE);
    }

    /** Services over {@code driver} with these manifest and page limits and the default upload limits. */
    public static RegistryService over(StorageDriver driver, int maxManifestBytes, int maxPageSize) {
        return over(driver, maxManifestBytes, maxPageSize, UploadLimits.DEFAULT);
    }

    /** Services over {@code driver} with every limit given. */
    public static RegistryService over(StorageDriver driver, int maxManifestBytes, int maxPageSize,
                                       UploadLimits uploadLimits) {
        return over(driver, maxManifestBytes, maxPageSize, uploadLimits, ManifestGuard.NONE);
    }

    /** Services over {@code driver} with every limit given, asking {@code guard} before tags move or go. */
    public static RegistryService over(StorageDriver driver, int maxManifestBytes, int maxPageSize,
                                       UploadLimits uploadLimits, ManifestGuard guard) {
        if (maxManifestBytes <= 0 || maxPageSize <= 0) throw new IllegalArgumentException("limits must be positive");
        return new RegistryService(driver, maxManifestBytes, maxPageSize, java.util.Objects.requireNonNull(uploadLimits),
                java.util.Objects.requireNonNull(guard, "guard"));
    }

    /** The checked driver every service uses. */
    public StorageDriver storage() {
        return driver;
    }

    public BlobService blobs() {
        return blobs;
    }

    public UploadService uploads() {
        return uploads;
    }

    public ManifestService manifests() {
        return manifests;
    }

    public TagService tags() {
        return tags;
    }

    public CatalogService catalog() {
        return catalog;
    }

    public ReferrersService referrers() {
        return referrers;
    }

    /**
     * Mark and sweep over this storage. Run offline (nothing else writing) with any options, or
     * online in the serving process with a grace period; see {@link GarbageCollector}.
     */
    public GarbageCollector garbageCollector() {
        return garbageCollector;
    }

    /** Deletes abandoned upload sessions. */
    public UploadPurger uploadPurger() {
        return uploadPurger;
    }
}
