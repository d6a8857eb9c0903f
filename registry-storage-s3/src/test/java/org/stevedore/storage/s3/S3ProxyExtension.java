package org.stevedore.storage.s3;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 endpoint tests run against. By default it starts one S3Proxy process per test JVM (on the
 * first test class that registers it; a shutdown hook stops it when the JVM ends) and creates the
 * test bucket.
 * With {@code STEVEDORE_S3_ENDPOINT} set it starts nothing and uses that endpoint (MinIO, Ceph, AWS)
 * with {@code STEVEDORE_S3_BUCKET}, {@code STEVEDORE_S3_REGION}, {@code STEVEDORE_S3_ACCESS_KEY},
 * {@code STEVEDORE_S3_SECRET_KEY} and {@code STEVEDORE_S3_FORCE_PATH_STYLE}.
 *
 * <p>Each call of {@link #settings()} gives a fresh root directory in the one bucket, so tests
 * never see each other's objects. Use it as a static field with {@code @RegisterExtension}.
 */
public final class S3ProxyExtension implements BeforeAllCallback {
    private static final String DEFAULT_BUCKET = "stevedore-test";

    private volatile Endpoint endpoint;

    /** Where the store is and how to sign in; the bucket exists. */
    record Endpoint(URI uri, String region, String bucket, String accessKey, String secretKey, boolean forcePathStyle) {
        /** The {@code storage.s3} parameters that reach this endpoint, keeping everything below {@code rootDirectory}. */
        Map<String, Object> parameters(String rootDirectory) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("region", region);
            parameters.put("bucket", bucket);
            parameters.put("regionendpoint", uri.toString());
            parameters.put("forcepathstyle", forcePathStyle);
            parameters.put("accesskey", accessKey);
            parameters.put("secretkey", secretKey);
            parameters.put("rootdirectory", rootDirectory);
            return parameters;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        endpoint = shared();
    }

    private static Endpoint sharedEndpoint;

    /**
     * The one endpoint of this JVM, started (or connected to) on first use; S3Proxy is stopped by
     * a shutdown hook when the JVM ends. Also used where no extension can be registered.
     */
    static synchronized Endpoint shared() throws Exception {
        if (sharedEndpoint == null) sharedEndpoint = startOrConnect();
        return sharedEndpoint;
    }

    /** Driver settings for a new, empty root directory in the test bucket. */
    public S3DriverSettings settings() {
        return settingsWith(Map.of());
    }

    /** Like {@link #settings()}, with more {@code storage.s3} parameters (or replaced ones). */
    public S3DriverSettings settingsWith(Map<String, Object> extra) {
        return S3DriverSettings.fromParameters(parameters(extra));
    }

    /** The {@code storage.s3} parameters of {@link #settingsWith}, for tests of the configuration itself. */
    public Map<String, Object> parameters(Map<String, Object> extra) {
        Map<String, Object> parameters = requireEndpoint().parameters("t-" + UUID.randomUUID());
        parameters.put("chunksize", S3DriverSettings.MIN_CHUNK_SIZE);
        parameters.putAll(extra);
        return parameters;
    }

    Endpoint requireEndpoint() {
        if (endpoint == null) throw new IllegalStateException("register S3ProxyExtension with @RegisterExtension on a static field");
        return endpoint;
    }

    private static Endpoint startOrConnect() throws Exception {
        Optional<String> external = Optional.ofNullable(System.getenv("STEVEDORE_S3_ENDPOINT")).filter(s -> !s.isBlank());
        Endpoint endpoint;
        S3ProxyProcess process = null;
        if (external.isPresent()) {
            endpoint = new Endpoint(URI.create(external.get()), env("STEVEDORE_S3_REGION", "us-east-1"),
                    env("STEVEDORE_S3_BUCKET", DEFAULT_BUCKET), env("STEVEDORE_S3_ACCESS_KEY", ""),
                    env("STEVEDORE_S3_SECRET_KEY", ""), Boolean.parseBoolean(env("STEVEDORE_S3_FORCE_PATH_STYLE", "true")));
        } else {
            process = S3ProxyProcess.start();
            S3ProxyProcess started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "s3proxy-stop"));
            endpoint = new Endpoint(process.endpoint(), "us-east-1", DEFAULT_BUCKET,
                    S3ProxyProcess.IDENTITY, S3ProxyProcess.CREDENTIAL, true);
        }
        createBucket(endpoint);
        return endpoint;
    }

    private static void createBucket(Endpoint e) {
        try (S3Client client = S3Client.builder().endpointOverride(e.uri()).region(Region.of(e.region()))
                .forcePathStyle(e.forcePathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
                .build()) {
            client.createBucket(b -> b.bucket(e.bucket()));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // an external endpoint's bucket may be there already
        } catch (S3Exception exists) {
            if (exists.statusCode() != 409) throw exists;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
