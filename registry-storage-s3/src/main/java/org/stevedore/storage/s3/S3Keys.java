package org.stevedore.storage.s3;

/**
 * Maps storage paths to object keys and back. A path {@code /docker/registry/v2/...} becomes the
 * key {@code <rootdirectory>/docker/registry/v2/...} (no leading slash), exactly as the reference
 * registry's S3 driver names them, so buckets are shared with it and mirror the filesystem layout.
 *
 * <p>An in-progress multipart write keeps its state in a hidden sibling of its file,
 * {@code .<name>.s3-writer.json}, and the bytes after its last part in {@code .<name>.s3-tail.<n>-<random>};
 * listings and stat never show such keys.
 */
final class S3Keys {
    private static final String STATE_PREFIX = ".";
    private static final String STATE_SUFFIX = ".s3-writer.json";
    private static final String TAIL_INFIX = ".s3-tail.";

    private final String prefix;

    S3Keys(String rootDirectory) {
        this.prefix = rootDirectory.isEmpty() ? "" : rootDirectory + "/";
    }

    /** The key of the file at {@code path}. */
    String file(String path) {
        return prefix + path.substring(1);
    }

    /** The prefix every key below directory {@code path} starts with. */
    String directory(String path) {
        return path.equals("/") ? prefix : prefix + path.substring(1) + "/";
    }

    /** The path of a key or common prefix (trailing slash dropped). */
    String path(String key) {
        String relative = key.substring(prefix.length());
        if (relative.endsWith("/")) relative = relative.substring(0, relative.length() - 1);
        return "/" + relative;
    }

    /** The key of the writer state kept beside the file at {@code path}. */
    String writerState(String path) {
        int slash = path.lastIndexOf('/');
        return prefix + path.substring(1, slash + 1) + STATE_PREFIX + path.substring(slash + 1) + STATE_SUFFIX;
    }

    /**
     * The key of the tail named {@code name} (see {@link PendingState#tailName()}) kept beside the
     * file at {@code path}.
     */
    String tail(String path, String name) {
        int slash = path.lastIndexOf('/');
        return prefix + path.substring(1, slash + 1) + STATE_PREFIX + path.substring(slash + 1) + TAIL_INFIX + name;
    }

    /** Whether {@code key} is a writer's state or tail, not a file of the registry. */
    static boolean isHidden(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return isWriterState(key) || (name.startsWith(STATE_PREFIX) && name.contains(TAIL_INFIX));
    }

    /** Whether {@code key} is writer state, not a file of the registry. */
    static boolean isWriterState(String key) {
        int slash = key.lastIndexOf('/');
        String name = key.substring(slash + 1);
        return name.startsWith(STATE_PREFIX) && name.endsWith(STATE_SUFFIX);
    }

    /** The key of the file whose writer state is {@code stateKey}. */
    static String fileOfWriterState(String stateKey) {
        int slash = stateKey.lastIndexOf('/');
        return stateKey.substring(0, slash + 1)
                + stateKey.substring(slash + 1 + STATE_PREFIX.length(), stateKey.length() - STATE_SUFFIX.length());
    }
}
