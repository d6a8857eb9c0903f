package org.stevedore.http;

import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;

/**
 * Turns a request path into a {@link V2Route}. Repository names contain {@code /}, so the path is
 * read from the right: the last one to three segments say which resource it is, everything
 * between {@code /v2/} and them is the name. Holds no rules beyond the grammar.
 *
 * <pre>
 * /v2/                               Base
 * /v2/_catalog                       Catalog
 * /v2/&lt;name&gt;/tags/list               Tags
 * /v2/&lt;name&gt;/manifests/&lt;reference&gt;   Manifest
 * /v2/&lt;name&gt;/blobs/uploads/          UploadStart
 * /v2/&lt;name&gt;/blobs/uploads/&lt;id&gt;      Upload
 * /v2/&lt;name&gt;/blobs/&lt;digest&gt;          Blob
 * /v2/&lt;name&gt;/referrers/&lt;digest&gt;      Referrers
 * </pre>
 *
 * <p>A part outside its grammar is the client's mistake, answered two ways. A write, or a referrers
 * listing (the spec asks for 400 there), gets the grammar's 400 code ({@code NAME_INVALID},
 * {@code TAG_INVALID}, {@code DIGEST_INVALID}). A read ({@code GET}, {@code HEAD}) asks for
 * something that cannot exist, so it gets the 404 of what it asked for ({@code NAME_UNKNOWN},
 * {@code MANIFEST_UNKNOWN}, {@code BLOB_UNKNOWN}), as the spec's pull section and distribution
 * answer; the grammar's reason stays in the detail.
 */
public final class V2Router {
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_=-]{1,128}");
    /** Longest path looked at; far above any valid route, so only abuse is cut. */
    private static final int MAX_PATH_LENGTH = 2048;

    private V2Router() {
    }

    /**
     * The route of {@code path} for a request with {@code method}.
     *
     * @throws RegistryException {@code NOT_FOUND} for a path that is no route, else the code for a
     *     bad part described above
     */
    public static V2Route route(String method, String path) {
        return route(path, method.equals("GET") || method.equals("HEAD"));
    }

    /**
     * The route of {@code path} as a write sees it: every bad part is its grammar's 400 code.
     *
     * @throws RegistryException {@code NOT_FOUND}, or the grammar's code for a bad part
     */
    public static V2Route route(String path) {
        return route(path, false);
    }

    private static V2Route route(String path, boolean read) {
        if (path.length() > MAX_PATH_LENGTH) throw ErrorCode.NOT_FOUND.withDetail("path too long");
        if (path.equals("/v2/") || path.equals("/v2")) return new V2Route.Base();
        if (!path.startsWith("/v2/")) throw ErrorCode.NOT_FOUND.exception();
        String rest = path.substring(4);
        if (rest.equals("_catalog")) return new V2Route.Catalog();

        if (rest.endsWith("/tags/list")) return new V2Route.Tags(name(rest, "/tags/list".length(), read));
        if (rest.endsWith("/blobs/uploads/")) return new V2Route.UploadStart(name(rest, "/blobs/uploads/".length(), read));
        if (rest.endsWith("/blobs/uploads")) return new V2Route.UploadStart(name(rest, "/blobs/uploads".length(), read));

        int lastSlash = rest.lastIndexOf('/');
        if (lastSlash <= 0) throw ErrorCode.NOT_FOUND.exception();
        String last = rest.substring(lastSlash + 1);
        String head = rest.substring(0, lastSlash);
        int kindSlash = head.lastIndexOf('/');
        if (kindSlash <= 0) throw ErrorCode.NOT_FOUND.exception();
        String kind = head.substring(kindSlash + 1);
        String before = head.substring(0, kindSlash);
        switch (kind) {
            case "manifests":
                return new V2Route.Manifest(name(before, read),
                        part(() -> Reference.parse(last), read, ErrorCode.MANIFEST_UNKNOWN));
            case "blobs":
                return new V2Route.Blob(name(before, read), part(() -> Digest.parse(last), read, ErrorCode.BLOB_UNKNOWN));
            case "referrers":
                return new V2Route.Referrers(RepositoryName.of(before), Digest.parse(last));
            case "uploads":
                if (before.endsWith("/blobs")) {
                    RepositoryName name = name(before.substring(0, before.length() - "/blobs".length()), read);
                    if (!UPLOAD_ID.matcher(last).matches()) throw ErrorCode.BLOB_UPLOAD_UNKNOWN.withDetail("invalid upload id");
                    return new V2Route.Upload(name, last);
                }
                throw ErrorCode.NOT_FOUND.exception();
            default:
                throw ErrorCode.NOT_FOUND.exception();
        }
    }

    private static RepositoryName name(String rest, int suffixLength, boolean read) {
        return name(rest.substring(0, rest.length() - suffixLength), read);
    }

    private static RepositoryName name(String text, boolean read) {
        return part(() -> RepositoryName.of(text), read, ErrorCode.NAME_UNKNOWN);
    }

    /** Parses one part; for a read, a grammar error becomes {@code unknown} with the same detail. */
    private static <T> T part(Supplier<T> parse, boolean read, ErrorCode unknown) {
        try {
            return parse.get();
        } catch (RegistryException e) {
            if (!read) throw e;
            throw new RegistryException(unknown, e.detail().orElse(e.code().message()));
        }
    }
}
