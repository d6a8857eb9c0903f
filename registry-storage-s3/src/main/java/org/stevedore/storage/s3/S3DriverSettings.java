package org.stevedore.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@link S3Driver} needs to reach its bucket. {@link #fromParameters} reads the
 * reference registry's {@code storage.s3} keys, so its configuration files work unchanged.
 * Immutable; {@link #toString()} never shows the secret key.
 *
 * @param region AWS region; any value works for most S3-compatible stores
 * @param bucket bucket name
 * @param regionEndpoint endpoint URI of an S3-compatible store, empty for AWS
 * @param forcePathStyle {@code http://host/bucket/key} instead of virtual-hosted style
 * @param accessKey static access key; empty for the SDK's default credentials chain
 * @param secretKey the matching secret
 * @param rootDirectory key prefix below which the registry's tree lives, without slashes around it
 * @param chunkSizeBytes multipart part size, also the one buffer each writer holds
 * @param secure https for an endpoint given without a scheme
 * @param skipVerify trust any TLS certificate (test setups with self-signed certificates only)
 * @param storageClass storage class of written objects, empty for the bucket's default
 * @param encrypt server-side encryption of written objects
 * @param keyId KMS key for server-side encryption, empty for S3-managed keys
 * @param requestChecksums the SDK's request checksum mode: {@code when_supported} or {@code when_required}
 * @param responseChecksums the SDK's response checksum validation mode, same values
 * @param chunkedEncoding aws-chunked payload encoding; some S3-compatible stores need it off
 * @param redirect answer blob GETs with presigned URLs ({@code storage.redirect.disable} turns it off)
 * @param redirectExpiry how long a presigned URL is valid
 * @param maxConnections HTTP connections to the store
 * @param maxRetries SDK retries for throttling, 5xx and I/O errors (with backoff)
 * @param apiCallTimeout bound on one call including its retries
 */
public record S3DriverSettings(String region, String bucket, Optional<URI> regionEndpoint, boolean forcePathStyle,
        Optional<String> accessKey, Optional<String> secretKey, String rootDirectory, int chunkSizeBytes,
        boolean secure, boolean skipVerify, Optional<String> storageClass, boolean encrypt, Optional<String> keyId,
        ChecksumMode requestChecksums, ChecksumMode responseChecksums, boolean chunkedEncoding, boolean redirect,
        Duration redirectExpiry, int maxConnections, int maxRetries, Duration apiCallTimeout) {

    /** S3's smallest part other than the last. */
    public static final int MIN_CHUNK_SIZE = 5 * 1024 * 1024;
    /** The reference registry's default part size. */
    public static final int DEFAULT_CHUNK_SIZE = 10 * 1024 * 1024;
    /** Bounded so that a writer's one buffer stays a buffer. */
    public static final int MAX_CHUNK_SIZE = 1024 * 1024 * 1024;

    /** The SDK's checksum modes, by the names used in configuration. */
    public enum ChecksumMode {
        WHEN_SUPPORTED, WHEN_REQUIRED
    }

    private static final Set<String> KNOWN_KEYS = Set.of("region", "bucket", "regionendpoint", "forcepathstyle",
            "accesskey", "secretkey", "rootdirectory", "chunksize", "secure", "skipverify", "storageclass", "encrypt",
            "keyid", "requestchecksumcalculation", "responsechecksumvalidation", "chunkedencoding", "maxconnections",
            "maxretries", "timeout");
    /** The reference registry's keys this driver accepts and has no use for; refusing them would break its configs. */
    private static final Set<String> IGNORED_KEYS = Set.of("v4auth", "useragent", "usedualstack", "accelerate",
            "objectacl", "loglevel", "multipartcopychunksize", "multipartcopymaxconcurrency",
            "multipartcopythresholdsize", "virtualhostedstyle", "sessiontoken", "credentialsconfigpath");

    public S3DriverSettings {
        require(region, "region");
        require(bucket, "bucket");
        if (regionEndpoint == null || accessKey == null || secretKey == null || storageClass == null || keyId == null
                || requestChecksums == null || responseChecksums == null || redirectExpiry == null || apiCallTimeout == null
                || rootDirectory == null) {
            throw new IllegalArgumentException("s3: no setting may be null");
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("s3: accesskey and secretkey go together");
        }
        if (chunkSizeBytes < MIN_CHUNK_SIZE || chunkSizeBytes > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("s3: chunksize must be between " + MIN_CHUNK_SIZE + " and " + MAX_CHUNK_SIZE);
        }
        if (maxConnections < 1 || maxRetries < 0 || redirectExpiry.isNegative() || redirectExpiry.isZero()
                || apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
            throw new IllegalArgumentException("s3: maxconnections, maxretries and timeouts must be positive");
        }
        rootDirectory = trimSlashes(rootDirectory);
    }

    /** Settings for {@code bucket} in {@code region} with every other value at its default. */
    public static S3DriverSettings of(String region, String bucket) {
        return fromParameters(Map.of("region", region, "bucket", bucket));
    }

    /**
     * Reads the reference registry's {@code storage.s3} parameters. Values may be strings or the
     * YAML types (booleans, numbers). Unknown keys are refused, so a typo does not pass silently.
     *
     * @throws IllegalArgumentException naming the key that is missing or invalid
     */
    public static S3DriverSettings fromParameters(Map<String, Object> parameters) {
        for (String key : parameters.keySet()) {
            if (!KNOWN_KEYS.contains(key) && !IGNORED_KEYS.contains(key)) {
                throw new IllegalArgumentException("s3: unknown parameter " + key);
            }
        }
        Parameters p = new Parameters(parameters);
        boolean secure = p.bool("secure", true);
        // The reference registry writes STANDARD unless told otherwise; NONE sends no class at all.
        Optional<String> storageClass = p.string("storageclass").map(s -> s.toUpperCase(Locale.ROOT))
                .or(() -> Optional.of("STANDARD")).filter(s -> !s.equals("NONE"));
        return new S3DriverSettings(
                p.string("region").orElse(""),
                p.string("bucket").orElse(""),
                p.string("regionendpoint").map(e -> endpoint(e, secure)),
                p.bool("forcepathstyle", false),
                p.string("accesskey"),
                p.string("secretkey"),
                p.string("rootdirectory").orElse(""),
                p.integer("chunksize", DEFAULT_CHUNK_SIZE),
                secure,
                p.bool("skipverify", false),
                storageClass,
                p.bool("encrypt", false),
                p.string("keyid"),
                p.checksumMode("requestchecksumcalculation"),
                p.checksumMode("responsechecksumvalidation"),
                p.bool("chunkedencoding", true),
                true,
                Duration.ofMinutes(20),
                p.integer("maxconnections", 64),
                p.integer("maxretries", 5),
                Duration.ofSeconds(p.integer("timeout", 300)));
    }

    /** These settings with presigned redirects turned on or off ({@code storage.redirect.disable}). */
    public S3DriverSettings withRedirect(boolean enabled) {
        return new S3DriverSettings(region, bucket, regionEndpoint, forcePathStyle, accessKey, secretKey, rootDirectory,
                chunkSizeBytes, secure, skipVerify, storageClass, encrypt, keyId, requestChecksums, responseChecksums,
                chunkedEncoding, enabled, redirectExpiry, maxConnections, maxRetries, apiCallTimeout);
    }

    /** These settings below another root directory; tests give each driver its own. */
    public S3DriverSettings withRootDirectory(String root) {
        return new S3DriverSettings(region, bucket, regionEndpoint, forcePathStyle, accessKey, secretKey, root,
                chunkSizeBytes, secure, skipVerify, storageClass, encrypt, keyId, requestChecksums, responseChecksums,
                chunkedEncoding, redirect, redirectExpiry, maxConnections, maxRetries, apiCallTimeout);
    }

    /** These settings with another bound on one call, retries included. */
    public S3DriverSettings withApiCallTimeout(Duration timeout, int retries) {
        return new S3DriverSettings(region, bucket, regionEndpoint, forcePathStyle, accessKey, secretKey, rootDirectory,
                chunkSizeBytes, secure, skipVerify, storageClass, encrypt, keyId, requestChecksums, responseChecksums,
                chunkedEncoding, redirect, redirectExpiry, maxConnections, retries, timeout);
    }

    @Override
    public String toString() {
        return "S3DriverSettings[region=" + region + ", bucket=" + bucket + ", regionEndpoint="
                + regionEndpoint.map(URI::toString).orElse("aws") + ", forcePathStyle=" + forcePathStyle
                + ", credentials=" + (accessKey.isPresent() ? "static" : "default chain") + ", rootDirectory=" + rootDirectory
                + ", chunkSizeBytes=" + chunkSizeBytes + ", storageClass=" + storageClass.orElse("default")
                + ", encrypt=" + encrypt + ", redirect=" + redirect + "]";
    }

    private static URI endpoint(String text, boolean secure) {
        String withScheme = text.contains("://") ? text : (secure ? "https://" : "http://") + text;
        try {
            URI uri = URI.create(withScheme);
            if (uri.getHost() == null) throw new IllegalArgumentException("no host");
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("s3: regionendpoint is not a URL: " + text, e);
        }
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("s3: " + key + " is required");
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') start++;
        while (end > start && path.charAt(end - 1) == '/') end--;
        return path.substring(start, end);
    }

    /** Typed reads of loosely typed configuration values. */
    private record Parameters(Map<String, Object> values) {
        Optional<String> string(String key) {
            Object value = values.get(key);
            if (value == null) return Optional.empty();
            String text = value.toString().trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }

        boolean bool(String key, boolean fallback) {
            Object value = values.get(key);
            if (value == null || value.toString().isBlank()) return fallback;
            if (value instanceof Boolean b) return b;
            String text = value.toString().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true")) return true;
            if (text.equals("false")) return false;
            throw new IllegalArgumentException("s3: " + key + " must be true or false, not " + value);
        }

        int integer(String key, int fallback) {
            Object value = values.get(key);
            if (value == null || value.toString().isBlank()) return fallback;
            if (value instanceof Integer i) return i;
            try {
                long parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
                if (parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE) throw new NumberFormatException();
                return (int) parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("s3: " + key + " must be a whole number, not " + value);
            }
        }

        ChecksumMode checksumMode(String key) {
            Optional<String> text = string(key);
            if (text.isEmpty()) return ChecksumMode.WHEN_SUPPORTED;
            try {
                return ChecksumMode.valueOf(text.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("s3: " + key + " must be when_supported or when_required, not " + text.get());
            }
        }
    }
}
