package org.stevedore.storage.s3;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The children of a directory, as {@link S3Driver#list} gives them: a child directory is listed
 * only while a registry file lies below it, as {@link S3Driver#stat} says.
 *
 * <p>S3 itself rolls keys into common prefixes, which exist only while keys lie below them, so one
 * delimited listing is exact there. Stores that keep objects as files (S3Proxy's filesystem
 * backends) create a key's directories before they read its body and keep them when the body never
 * comes (the registry killed mid-PUT), and list such an empty directory as a common prefix: a
 * manifest revision without a link, a tag without a current link, an upload session that purging
 * cannot remove. Those stores also refuse a listing delimiter other than {@code "/"}, which is how
 * they are recognised (one listing, at the first {@code list}); there a directory's children are
 * taken from the keys below it, one paged listing without delimiter, whose cost grows with the
 * objects below rather than the children.
 */
final class S3Listing {
    static final int PAGE = 1000;
    /** A delimiter S3 accepts and file-backed stores refuse (the probe's result is not used). */
    private static final String PROBE_DELIMITER = "/_";

    private final S3Client client;
    private final String bucket;
    private final S3Keys keys;
    /** Null until known: whether the store refuses delimiters other than "/" (it keeps objects as files). */
    private volatile Boolean fileBacked;

    S3Listing(S3Client client, String bucket, S3Keys keys) {
        this.client = client;
        this.bucket = bucket;
        this.keys = keys;
    }

    /** The paths of the children of {@code directory}: files, and directories holding a file. */
    List<String> list(String directory) {
        return keepsObjectsAsFiles() ? listByKeys(directory) : listByDelimiter(directory);
    }

    /** Whether the store refuses delimiters other than "/": asks once. */
    boolean keepsObjectsAsFiles() {
        Boolean known = fileBacked;
        if (known != null) return known;
        try {
            client.listObjectsV2(request(keys.directory("/"), PROBE_DELIMITER, null, 1));
            fileBacked = false;
        } catch (SdkException e) {
            if (!S3Errors.isStatus(e, 400)) throw e;
            fileBacked = true;
        }
        return fileBacked;
    }

    /** Notes that the store refused a delimiter other than "/" in a listing. */
    void refusedDelimiter() {
        fileBacked = true;
    }

    /**
     * The catalog's deep listing ({@code listDirectoriesWithChildStartingWith}) on S3: one paged
     * listing with {@code "/" + childPrefix} as the delimiter, which rolls all keys below each
     * marked directory's {@code childPrefix…} children into one common prefix, so thousands of
     * directories cost a few requests; the children's names stay unknown (empty sets). Keys
     * without the delimiter are files of unmarked directories and are skipped. File-backed stores
     * refuse the delimiter with a 400.
     */
    Map<String, Set<String>> markedByDelimiter(String directory, String childPrefix) {
        String delimiter = "/" + childPrefix;
        String prefix = keys.directory(directory);
        Map<String, Set<String>> found = new HashMap<>();
        String token = null;
        do {
            ListObjectsV2Response page = client.listObjectsV2(request(prefix, delimiter, token, PAGE));
            for (CommonPrefix common : page.commonPrefixes()) {
                String key = common.prefix();
                if (key.endsWith(delimiter)) found.put(keys.path(key.substring(0, key.length() - delimiter.length())), Set.of());
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return found;
    }

    /**
     * The catalog's deep listing ({@code listDirectoriesWithChildStartingWith}) on file-backed
     * stores: a walk with one delimited listing per directory, each as cheap as the directory is
     * small, where {@link #list} would read every key below each directory it walks. Such a
     * listing may show an empty directory a killed PUT left, so the marked children are not
     * named (empty sets): the catalog confirms each candidate it pages to with {@link #list}.
     */
    Map<String, Set<String>> markedDirectories(String directory, String childPrefix) {
        Map<String, Set<String>> found = new HashMap<>();
        Deque<String> pending = new ArrayDeque<>(List.of(directory));
        while (!pending.isEmpty()) {
            String current = pending.pop();
            boolean marked = false;
            for (String child : listByDelimiter(current)) {
                if (child.substring(child.lastIndexOf('/') + 1).startsWith(childPrefix)) marked = true;
                else pending.push(child);
            }
            if (marked && !current.equals(directory)) found.put(current, Set.of());
        }
        return found;
    }

    /**
     * {@link S3Driver#listPage}: delimited listings from {@code StartAfter}, {@code limit + 1} keys
     * a request. S3 sorts a child directory as its name followed by {@code "/"}, so a name that
     * extends another with a character below {@code "/"} ({@code v1.2}, {@code v1-rc}) comes
     * before it ({@code v1}): listing goes on until the keys passed every place where a name the
     * page needs could still come, usually within the first request.
     */
    List<String> page(String directory, String startAfter, int limit) {
        String prefix = keys.directory(directory);
        TreeSet<String> names = new TreeSet<>();
        String lastKey = "";
        String token = null;
        do {
            ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .delimiter("/").maxKeys(Math.min(PAGE, limit + 1));
            if (token != null) request.continuationToken(token);
            else if (!startAfter.isEmpty()) request.startAfter(prefix + startAfter);
            ListObjectsV2Response page = client.listObjectsV2(request.build());
            for (CommonPrefix common : page.commonPrefixes()) {
                String key = common.prefix();
                addAfter(names, key.substring(prefix.length(), key.length() - 1), startAfter);
                if (key.compareTo(lastKey) > 0) lastKey = key;
            }
            for (S3Object object : page.contents()) {
                String key = object.key();
                if (key.compareTo(lastKey) > 0) lastKey = key;
                if (!key.equals(prefix) && !S3Keys.isHidden(key)) addAfter(names, key.substring(prefix.length()), startAfter);
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null && !covers(names, limit, prefix, lastKey));
        List<String> children = new ArrayList<>(limit);
        for (String name : names) {
            if (children.size() == limit) break;
            children.add(keys.path(prefix + name));
        }
        return children;
    }

    private static void addAfter(TreeSet<String> names, String name, String startAfter) {
        if (!name.isEmpty() && name.compareTo(startAfter) > 0) names.add(name);
    }

    /**
     * Whether the listing, having reached {@code lastKey}, holds the first {@code limit} names: a
     * missing smaller name can only be a directory whose name is a prefix of a page name followed
     * there by a character below {@code "/"}, listed under the key of that prefix plus {@code "/"}.
     */
    private static boolean covers(TreeSet<String> names, int limit, String prefix, String lastKey) {
        if (names.size() < limit) return false;
        String furthest = "";
        int seen = 0;
        for (String name : names) {
            if (seen++ == limit) break;
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) < '/') {
                    String key = prefix + name.substring(0, i) + "/";
                    if (key.compareTo(furthest) > 0) furthest = key;
                    break;
                }
            }
        }
        return lastKey.compareTo(furthest) >= 0;
    }

    private List<String> listByDelimiter(String directory) {
        String prefix = keys.directory(directory);
        List<String> children = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = client.listObjectsV2(request(prefix, "/", token, PAGE));
            for (CommonPrefix common : page.commonPrefixes()) children.add(keys.path(common.prefix()));
            for (S3Object object : page.contents()) {
                if (!object.key().equals(prefix) && !S3Keys.isHidden(object.key())) children.add(keys.path(object.key()));
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return children;
    }

    private List<String> listByKeys(String directory) {
        String prefix = keys.directory(directory);
        Set<String> children = new LinkedHashSet<>();
        String token = null;
        do {
            ListObjectsV2Response page = client.listObjectsV2(request(prefix, null, token, PAGE));
            for (S3Object object : page.contents()) {
                String key = object.key();
                // A key ending in "/" is a directory marker, not a file; hidden keys are a writer's state.
                if (key.equals(prefix) || key.endsWith("/") || S3Keys.isHidden(key)) continue;
                int slash = key.indexOf('/', prefix.length());
                children.add(keys.path(slash < 0 ? key : key.substring(0, slash)));
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return new ArrayList<>(children);
    }

    /**
     * {@code statInEachChild} on S3: the file at {@code child/relativePath} of each child of
     * {@code directory}, with the size and LastModified the listing gives: one paged listing of the
     * keys below, without delimiter, a request per {@link #PAGE} keys, where a stat per child would
     * be a HEAD each. Keys at other depths or names are skipped.
     */
    List<org.stevedore.storage.FileInfo> inEachChild(String directory, String relativePath) {
        String prefix = keys.directory(directory);
        String suffix = "/" + relativePath;
        List<org.stevedore.storage.FileInfo> files = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = client.listObjectsV2(request(prefix, null, token, PAGE));
            for (S3Object object : page.contents()) {
                String key = object.key();
                if (!key.endsWith(suffix) || S3Keys.isHidden(key)) continue;
                int child = key.length() - suffix.length();
                if (child <= prefix.length() || key.lastIndexOf('/', child - 1) >= prefix.length()) continue;
                files.add(new org.stevedore.storage.FileInfo(keys.path(key), object.size(), object.lastModified(), false));
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return files;
    }

    /** Any registry object below directory {@code path}: the proof that the directory exists. */
    Optional<S3Object> firstBelow(String path) {
        String token = null;
        do {
            ListObjectsV2Response page = client.listObjectsV2(request(keys.directory(path), null, token, 100));
            for (S3Object object : page.contents()) {
                if (!S3Keys.isHidden(object.key()) && !object.key().endsWith("/")) return Optional.of(object);
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return Optional.empty();
    }

    ListObjectsV2Request request(String prefix, String delimiter, String token, int max) {
        return ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).delimiter(delimiter)
                .continuationToken(token).maxKeys(max).build();
    }
}
