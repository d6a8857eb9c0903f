package org.stevedore.http;

import java.util.Set;
import org.stevedore.model.Digest;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;

/** A request path of the distribution API, parsed into typed parts by {@link V2Router}. */
public sealed interface V2Route {

    /** The HTTP methods this route answers; any other is 405. */
    Set<String> methods();

    /** {@code /v2/}: the API version check. */
    record Base() implements V2Route {
        public Set<String> methods() {
            return Set.of("GET", "HEAD");
        }
    }

    /** {@code /v2/_catalog}. */
    record Catalog() implements V2Route {
        public Set<String> methods() {
            return Set.of("GET");
        }
    }

    /** {@code /v2/<name>/tags/list}. */
    record Tags(RepositoryName name) implements V2Route {
        public Set<String> methods() {
            return Set.of("GET");
        }
    }

    /** {@code /v2/<name>/manifests/<reference>}. */
    record Manifest(RepositoryName name, Reference reference) implements V2Route {
        public Set<String> methods() {
            return Set.of("GET", "HEAD", "PUT", "DELETE");
        }
    }

    /** {@code /v2/<name>/blobs/<digest>}. */
    record Blob(RepositoryName name, Digest digest) implements V2Route {
        public Set<String> methods() {
            return Set.of("GET", "HEAD", "DELETE");
        }
    }

    /** {@code /v2/<name>/blobs/uploads/}: starts an upload (or a mount). */
    record UploadStart(RepositoryName name) implements V2Route {
        public Set<String> methods() {
            return Set.of("POST");
        }
    }

    /** {@code /v2/<name>/blobs/uploads/<id>}: one upload session. */
    record Upload(RepositoryName name, String id) implements V2Route {
        public Set<String> methods() {
            return Set.of("GET", "PATCH", "PUT", "DELETE");
        }
    }

    /** {@code /v2/<name>/referrers/<digest>}. */
    record Referrers(RepositoryName name, Digest digest) implements V2Route {
        public Set<String> methods() {
            return Set.of("GET");
        }
    }
}
