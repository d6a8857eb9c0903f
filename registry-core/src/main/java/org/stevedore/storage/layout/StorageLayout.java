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
 * /docker/registry/v2/stevedore/gc/leases/&lt;generation&gt;  the fleet's collection lease (Stevedore only)
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

    /** Stevedore's own state beside distribution's trees, which distribution never reads. */
    public static final String STEVEDORE = ROOT + "/stevedore";

    /** One file per generation of the garbage collection lease; see {@code CollectionLease}. */
    public static final String GC_LEASES = STEVEDORE + "/gc/leases";

    /** The lease of one generation; zero-padded so names sort as numbers. */
    public static String gcLease(long generation) {
        return GC_LEASES + "/" + String.format("%019d", generation);
    }

    /** The last segment of a path. */
    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
