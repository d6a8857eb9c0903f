package org.stevedore.storage.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.AttributeMap;

/** Builds the SDK client and presigner from {@link S3DriverSettings}; the one place that knows SDK options. */
final class S3Clients {
    private S3Clients() {
    }

    /**
     * The pooled HTTP client the S3 client sends through. The SDK does not close an HTTP client
     * handed to a builder, so its owner (the driver) closes it after the S3 client.
     */
    static SdkHttpClient httpClient(S3DriverSettings settings) {
        AttributeMap.Builder http = AttributeMap.builder()
                .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                .put(SdkHttpConfigurationOption.READ_TIMEOUT, Duration.ofSeconds(60));
        if (settings.skipVerify()) http.put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true);
        return ApacheHttpClient.builder()
                .maxConnections(settings.maxConnections())
                // Not on every request: the S3 client asks for it on PUTs, NoExpectForSmallBodies
                // takes it back from small ones.
                .expectContinueEnabled(false)
                .buildWithDefaults(http.build());
    }

    static S3Client client(S3DriverSettings settings, SdkHttpClient httpClient) {
        var builder = S3Client.builder()
                .httpClient(httpClient)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.forcePathStyle())
                        .chunkedEncodingEnabled(settings.chunkedEncoding())
                        .build())
                .requestChecksumCalculation(settings.requestChecksums() == S3DriverSettings.ChecksumMode.WHEN_REQUIRED
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(settings.responseChecksums() == S3DriverSettings.ChecksumMode.WHEN_REQUIRED
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
                // Standard retries: exponential backoff with jitter for throttling, 5xx and I/O errors.
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(settings.maxRetries() + 1))
                        .apiCallTimeout(settings.apiCallTimeout())
                        .addExecutionInterceptor(new NoExpectForSmallBodies())
                        .build());
        settings.regionEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    static S3Presigner presigner(S3DriverSettings settings) {
        var builder = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.forcePathStyle()).build());
        settings.regionEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3DriverSettings settings) {
        if (settings.accessKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().orElseThrow()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
