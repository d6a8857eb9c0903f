package org.stevedore.copy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to copy. Published API.
 *
 * @param all              every platform of an index (else only {@code platform}'s image)
 * @param platform         {@code os/architecture} to take from an index without {@code all}; default linux/amd64
 * @param parallelism      blobs copied at once, at least 1
 * @param retry            retries of each request and each blob
 * @param sourceAuth       credentials for the source; empty: the stored ones, if any
 * @param destinationAuth  credentials for the destination; empty: the stored ones, if any
 * @param sourceTlsVerify  false: a source not on loopback is treated as loopback ones are, HTTPS
 *                         with any certificate if it speaks HTTPS, else plain HTTP
 * @param destinationTlsVerify the same for the destination
 * @param environment      where {@code REGISTRY_AUTH_FILE}, {@code DOCKER_CONFIG} and (for credential
 *                         helpers) {@code PATH} are looked up; PATH falls back to the process's
 * @param withReferrers    also copy the manifests whose subject is a copied manifest (signatures,
 *                         SBOMs), found through the source's referrers API
 * @param sourceCertDir    a directory of {@code *.crt} CAs and {@code NAME.cert}/{@code NAME.key}
 *                         client certificates for the source (skopeo's {@code --src-cert-dir}); the
 *                         source's certificate is then verified even on loopback
 * @param destinationCertDir the same for the destination
 */
public record CopyOptions(boolean all, Optional<String> platform, int parallelism, Retry retry,
                          Optional<Credentials> sourceAuth, Optional<Credentials> destinationAuth,
                          boolean sourceTlsVerify, boolean destinationTlsVerify, Map<String, String> environment,
                          boolean withReferrers, Optional<Path> sourceCertDir, Optional<Path> destinationCertDir) {
    public static final CopyOptions DEFAULT = new CopyOptions(false, Optional.empty(), 4, Retry.DEFAULT,
            Optional.empty(), Optional.empty(), true, true, Map.of(), false);

    public CopyOptions {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1");
        Objects.requireNonNull(retry, "retry");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(sourceCertDir, "sourceCertDir");
        Objects.requireNonNull(destinationCertDir, "destinationCertDir");
    }

    /** Without certificate directories. */
    public CopyOptions(boolean all, Optional<String> platform, int parallelism, Retry retry,
                       Optional<Credentials> sourceAuth, Optional<Credentials> destinationAuth,
                       boolean sourceTlsVerify, boolean destinationTlsVerify, Map<String, String> environment,
                       boolean withReferrers) {
        this(all, platform, parallelism, retry, sourceAuth, destinationAuth, sourceTlsVerify, destinationTlsVerify,
                environment, withReferrers, Optional.empty(), Optional.empty());
    }

    public CopyOptions withCertDirs(Optional<Path> source, Optional<Path> destination) {
        return new CopyOptions(all, platform, parallelism, retry, sourceAuth, destinationAuth, sourceTlsVerify,
                destinationTlsVerify, environment, withReferrers, source, destination);
    }

    public CopyOptions withAll(boolean value) {
        return new CopyOptions(value, platform, parallelism, retry, sourceAuth, destinationAuth, sourceTlsVerify,
                destinationTlsVerify, environment, withReferrers, sourceCertDir, destinationCertDir);
    }

    public CopyOptions withAuth(Optional<Credentials> source, Optional<Credentials> destination) {
        return new CopyOptions(all, platform, parallelism, retry, source, destination, sourceTlsVerify,
                destinationTlsVerify, environment, withReferrers, sourceCertDir, destinationCertDir);
    }

    public CopyOptions withReferrers(boolean value) {
        return new CopyOptions(all, platform, parallelism, retry, sourceAuth, destinationAuth, sourceTlsVerify,
                destinationTlsVerify, environment, value, sourceCertDir, destinationCertDir);
    }

    public CopyOptions withRetry(Retry value) {
        return new CopyOptions(all, platform, parallelism, value, sourceAuth, destinationAuth, sourceTlsVerify,
                destinationTlsVerify, environment, withReferrers, sourceCertDir, destinationCertDir);
    }
}
