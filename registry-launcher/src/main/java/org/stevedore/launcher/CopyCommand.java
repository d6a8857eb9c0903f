package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stevedore.copy.CopyOptions;
import org.stevedore.copy.Credentials;
import org.stevedore.copy.ImageCopy;
import org.stevedore.copy.Retry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore copy SOURCE DEST}: copies an image between registries, OCI layouts and docker save
 * archives without a daemon, with skopeo's location syntax and flag names (the {@code registry-copy}
 * library).
 */
@Command(name = "copy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Copies an image: docker://HOST/NAME:TAG (or @DIGEST), oci:DIR:TAG and",
                "docker-archive:FILE[:NAME:TAG] (docker save / docker load) on either side.",
                "Credentials from --src-creds/--dest-creds, else $REGISTRY_AUTH_FILE or ~/.docker/config.json",
                "(credHelpers, credsStore and auths, as docker reads them).",
                "Loopback registries are reached over plain HTTP; others only with --*-tls-verify=false."})
final class CopyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE")
    private String source;

    @Parameters(index = "1", paramLabel = "DEST")
    private String destination;

    @Option(names = "--src-creds", paramLabel = "USER:PASSWORD", description = "credentials for the source")
    private String sourceCredentials;

    @Option(names = "--dest-creds", paramLabel = "USER:PASSWORD", description = "credentials for the destination")
    private String destinationCredentials;

    @Option(names = "--src-tls-verify", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "false: plain HTTP to a source that is not on loopback")
    private boolean sourceTlsVerify;

    @Option(names = "--dest-tls-verify", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "false: plain HTTP to a destination that is not on loopback")
    private boolean destinationTlsVerify;

    @Option(names = "--src-cert-dir", paramLabel = "DIR",
            description = "CA certificates (*.crt) and a client certificate (NAME.cert, NAME.key) for the source")
    private Path sourceCertDir;

    @Option(names = "--dest-cert-dir", paramLabel = "DIR",
            description = "CA certificates (*.crt) and a client certificate (NAME.cert, NAME.key) for the destination")
    private Path destinationCertDir;

    @Option(names = {"-a", "--all"}, description = "copy every platform of an index")
    private boolean all;

    @Option(names = "--with-referrers", description = "also copy signatures, SBOMs and other referrers (OCI 1.1 API)")
    private boolean withReferrers;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "the platform to take from an index; default linux/amd64")
    private String platform;

    @Option(names = "--retry-times", defaultValue = "3", description = "retries of each request and blob (default 3)")
    private int retryTimes;

    @Option(names = "--parallel", defaultValue = "4", description = "blobs copied at once (default 4)")
    private int parallel;

    private final Map<String, String> environment;

    CopyCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() throws Exception {
        CopyOptions options = new CopyOptions(all, Optional.ofNullable(platform), parallel,
                new Retry(retryTimes + 1, Duration.ofMillis(500), Duration.ofSeconds(60)),
                Optional.ofNullable(sourceCredentials).map(CopyCommand::credentials),
                Optional.ofNullable(destinationCredentials).map(CopyCommand::credentials),
                sourceTlsVerify, destinationTlsVerify, environment, withReferrers,
                Optional.ofNullable(sourceCertDir), Optional.ofNullable(destinationCertDir));
        PrintWriter out = spec.commandLine().getOut();
        // A progress line per blob on a terminal; in CI logs only the result.
        ImageCopy.Progress progress = System.console() == null ? ImageCopy.Progress.NONE : (digest, size, outcome) -> {
            synchronized (out) {
                out.println("blob " + digest.encoded().substring(0, 12) + " " + size + " bytes " + outcome);
                out.flush();
            }
        };
        ImageCopy.Result result = ImageCopy.copy(source, destination, options, progress);
        out.println(result.digest() + " (" + result.blobsSent() + " blobs sent, " + result.blobsSkipped()
                + " already there, " + result.blobsMounted() + " mounted)");
        out.flush();
        return 0;
    }

    private static Credentials credentials(String text) {
        try {
            return Credentials.parse(text);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
