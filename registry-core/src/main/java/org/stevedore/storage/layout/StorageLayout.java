package org.stevedore.storage.layout;

import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;

/**
 * The only place that builds storage paths. The tree is the reference registry's
 * (distribution 2.x, {@code registry/storage/paths.go}) exactly, so a directory written by
 * {@code registry:2} or Debian's {@code docker-registry} is served unchanged, and the other way
 * round:
 *
 * <pre>
 * /docker/registry/v2/blobs/&lt;alg&gt;/&lt;first two hex&gt;/&lt;hex&gt;/data      blob and manifest bytes
 * /docker/registry/v2/blobs/&lt;alg&gt;/&lt;first two hex&gt;/&lt;hex&gt;/lastused  empty; its time is the blob's last use
 *                                                            (Stevedore only, for online GC)
 * /docker/registry/v2/blobs/&lt;alg&gt;/&lt;first two hex&gt;/&lt;hex&gt;/data.collecting  the bytes while online GC
 *                                                            decides (Stevedore only)
 * /docker/registry/v2/repositories/&lt;name&gt;/
 *     _layers/&lt;alg&gt;/&lt;hex&gt;/link                     blob linked into the repository
 *     _manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link         manifest in the repository
 *     _manifests/tags/&lt;tag&gt;/current/link             digest the tag points at
 *     _manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link  every digest the tag ever pointed at
 *     _manifests/referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;/&lt;hex&gt;/link  a referrer of a subject (Stevedore only)
 *     _manifests/referrers/_built                  the referrers index covers older pushes
 *     _uploads/&lt;id&gt;/data                             bytes of an upload session so far
 *     _uploads/&lt;id&gt;/startedat                        RFC 3339 start time of the session
 *     _uploads/&lt;id&gt;/hashstates/&lt;alg&gt;/&lt;offset&gt;     (distribution's hash snapshots; not written)
 *     _usage/counts/&lt;generation&gt;                    a counted usage, or "stale" (Stevedore only: quotas)
 *     _usage/reservations/&lt;reservation&gt;             bytes a push holds against the quota (Stevedore only)
 *     _pulls/&lt;tag&gt;                                   empty; its time is the tag's last recorded pull
 *                                                  (Stevedore only: retention's keepwithin)
 * /docker/registry/v2/stevedore/gc/leases/&lt;generation&gt;  the fleet's collection lease (Stevedore only)
 * /docker/registry/v2/stevedore/&lt;job&gt;/leases/&lt;generation&gt;  the same for retention and verify (Stevedore only)
 * /docker/registry/v2/stevedore/catalog/repositories/&lt;name as one file name&gt;  empty: a repository in the
 *                                                            catalog index (Stevedore only)
 * /docker/registry/v2/stevedore/catalog/built                 the catalog index covers older pushes
 * /docker/registry/v2/stevedore/uploads/&lt;id&gt;                 an open upload session (its repository's
 *                                                            name), counted by the bound on sessions
 * </pre>
 *
 * A link file holds the digest's wire form ({@code sha256:…}) and nothing else. The
 * {@code _manifests/referrers} tree is Stevedore's referrers index; distribution never reads it
 * (its garbage collector walks only {@code revisions} and {@code tags}), so a store stays
 * servable by both.
 */
public final class StorageLayout {
    public static final String ROOT = "/docker/registry/v2";
    public static final String BLOBS = ROOT + "/blobs";
    public static final String REPOSITORIES = ROOT + "/repositories";
    public static final String LINK = "link";

    private StorageLayout() {
    }

    /** Directory of one blob; its bytes are in {@code data} below it. */
    public static String blobDirectory(Digest digest) {
        String hex = digest.encoded();
        String prefix = hex.length() >= 2 ? hex.substring(0, 2) : hex;
        return BLOBS + "/" + digest.algorithm() + "/" + prefix + "/" + hex;
    }

    public static String blobData(Digest digest) {
        return blobDirectory(digest) + "/data";
    }

    /** Empty; its modification time is the blob's last use (Stevedore only, for online GC). */
    public static String blobLastUsed(Digest digest) {
        return blobDirectory(digest) + "/lastused";
    }

    /** The blob's bytes while online GC decides, out of every reader's and writer's sight (Stevedore only). */
    public static String blobSetAside(Digest digest) {
        return blobDirectory(digest) + "/data.collecting";
    }

    public static String repository(RepositoryName name) {
        return REPOSITORIES + "/" + name.value();
    }

    public static String layersDirectory(RepositoryName name) {
        return repository(name) + "/_layers";
    }

    public static String layerLink(RepositoryName name, Digest digest) {
        return layersDirectory(name) + "/" + digest.algorithm() + "/" + digest.encoded() + "/" + LINK;
    }

    public static String manifestsDirectory(RepositoryName name) {
        return repository(name) + "/_manifests";
    }

    public static String revisionsDirectory(RepositoryName name) {
        return manifestsDirectory(name) + "/revisions";
    }

    public static String revisionLink(RepositoryName name, Digest digest) {
        return revisionsDirectory(name) + "/" + digest.algorithm() + "/" + digest.encoded() + "/" + LINK;
    }

    public static String tagsDirectory(RepositoryName name) {
        return manifestsDirectory(name) + "/tags";
    }

    public static String tagDirectory(RepositoryName name, Tag tag) {
        return tagsDirectory(name) + "/" + tag.value();
    }

    public static String tagCurrentLink(RepositoryName name, Tag tag) {
        return tagDirectory(name, tag) + "/" + TAG_CURRENT_LINK;
    }

    /** A tag's current link relative to its tag directory, to read every tag's at once. */
    public static final String TAG_CURRENT_LINK = "current/" + LINK;

    public static String tagIndexLink(RepositoryName name, Tag tag, Digest digest) {
        return tagDirectory(name, tag) + "/index/" + digest.algorithm() + "/" + digest.encoded() + "/" + LINK;
    }

    /** Directory of a revision: deleting it removes the manifest from the repository. */
    public static String revisionDirectory(RepositoryName name, Digest digest) {
        return revisionsDirectory(name) + "/" + digest.algorithm() + "/" + digest.encoded();
    }

    /** Directory of a layer link: deleting it unlinks the blob from the repository. */
    public static String layerDirectory(RepositoryName name, Digest digest) {
        return layersDirectory(name) + "/" + digest.algorithm() + "/" + digest.encoded();
    }

    public static String referrersDirectory(RepositoryName name) {
        return manifestsDirectory(name) + "/referrers";
    }

    /** Marker written once every manifest pushed before the index existed has been indexed. */
    public static String referrersBuiltMarker(RepositoryName name) {
        return referrersDirectory(name) + "/_built";
    }

    /** Directory holding one link per referrer of {@code subject}. */
    public static String referrersOf(RepositoryName name, Digest subject) {
        return referrersDirectory(name) + "/" + subject.algorithm() + "/" + subject.encoded();
    }

    public static String referrerDirectory(RepositoryName name, Digest subject, Digest referrer) {
        return referrersOf(name, subject) + "/" + referrer.algorithm() + "/" + referrer.encoded();
    }

    public static String referrerLink(RepositoryName name, Digest subject, Digest referrer) {
        return referrerDirectory(name, subject, referrer) + "/" + LINK;
    }

    public static String uploadsDirectory(RepositoryName name) {
        return repository(name) + "/_uploads";
    }

    /** Upload ids are generated by the registry and checked by the router ({@code [A-Za-z0-9-]}). */
    public static String uploadDirectory(RepositoryName name, String uploadId) {
        return uploadsDirectory(name) + "/" + uploadId;
    }

    public static String uploadData(RepositoryName name, String uploadId) {
        return uploadDirectory(name, uploadId) + "/data";
    }

    public static String uploadStartedAt(RepositoryName name, String uploadId) {
        return uploadDirectory(name, uploadId) + "/startedat";
    }

    /** A repository's usage record for quotas (see registry-policies' {@code UsageLedger}). */
    public static String usageDirectory(RepositoryName name) {
        return repository(name) + "/_usage";
    }

    public static String usageCounts(RepositoryName name) {
        return usageDirectory(name) + "/counts";
    }

    /** One counted usage per generation; zero-padded so names sort as numbers. */
    public static String usageCount(RepositoryName name, long generation) {
        return usageCounts(name) + "/" + String.format("%019d", generation);
    }

    public static String usageReservations(RepositoryName name) {
        return usageDirectory(name) + "/reservations";
    }

    /** A reservation; its name carries its whole state, so a listing reads every reservation. */
    public static String usageReservation(RepositoryName name, String reservation) {
        return usageReservations(name) + "/" + reservation;
    }

    public static String pullsDirectory(RepositoryName name) {
        return repository(name) + "/_pulls";
    }

    /** Its modification time is the last recorded pull of {@code tag}. */
    public static String tagPulled(RepositoryName name, Tag tag) {
        return pullsDirectory(name) + "/" + tag.value();
    }

    /** Stevedore's own state beside distribution's trees, which distribution never reads. */
    public static final String STEVEDORE = ROOT + "/stevedore";

    /** One file per generation of the garbage collection lease; see {@code CollectionLease}. */
    public static final String GC_LEASES = STEVEDORE + "/gc/leases";

    /** The lease of one generation; zero-padded so names sort as numbers. */
    public static String gcLease(long generation) {
        return lease(GC_LEASES, generation);
    }

    /** The leases of a once-per-fleet job other than garbage collection ({@code retention}, {@code verify}). */
    public static String leases(String job) {
        return STEVEDORE + "/" + job + "/leases";
    }

    /** One generation of the lease kept in {@code directory}. */
    public static String lease(String directory, long generation) {
        return directory + "/" + String.format("%019d", generation);
    }

    /** The catalog index: one empty file per repository, named so that names sort as repository names do. */
    public static final String CATALOG_ENTRIES = STEVEDORE + "/catalog/repositories";

    /** Marker written once the catalog index holds every repository pushed before it existed. */
    public static final String CATALOG_BUILT = STEVEDORE + "/catalog/built";

    /** The catalog index entry of a repository; see {@link #catalogEntryName}. */
    public static String catalogEntry(RepositoryName name) {
        return CATALOG_ENTRIES + "/" + catalogEntryName(name.value());
    }

    /**
     * A repository name (or any listing position) as one file name that sorts as the name does:
     * {@code /} becomes {@code 0} and each digit the character after it ({@code 9} becomes
     * {@code :}); the other characters of repository names ({@code a-z . _ -}) stay. The mapping
     * never reorders two strings, and is one to one on repository names.
     */
    public static String catalogEntryName(String name) {
        StringBuilder encoded = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            encoded.append(c >= '/' && c <= '9' ? (char) (c + 1) : c);
        }
        return encoded.toString();
    }

    /** The repository name of a catalog index entry's file name. */
    public static String repositoryOfCatalogEntry(String fileName) {
        StringBuilder decoded = new StringBuilder(fileName.length());
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            decoded.append(c >= '0' && c <= ':' ? (char) (c - 1) : c);
        }
        return decoded.toString();
    }

    /** One marker per open upload session, so that every node counts the same sessions. */
    public static final String UPLOAD_SESSIONS = STEVEDORE + "/uploads";

    /** The marker of an open upload session; it holds the session's repository name. */
    public static String uploadSessionMarker(String uploadId) {
        return UPLOAD_SESSIONS + "/" + uploadId;
    }

    /** The last segment of a path. */
    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
