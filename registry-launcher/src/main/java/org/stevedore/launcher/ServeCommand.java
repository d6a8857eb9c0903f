package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code stevedore serve [CONFIG] [--addr HOST:PORT] [--root DIR] [--tls-self-signed HOST...]}:
 * runs the registry server. Settings come from distribution's config.yml, then the
 * {@code REGISTRY_*} environment, then these flags, each overriding the one before.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Serves the OCI distribution API until stopped.",
                "Reads distribution's config.yml (CONFIG, or REGISTRY_CONFIGURATION_PATH) and REGISTRY_*"
                        + " variables, e.g. REGISTRY_HTTP_ADDR, REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY;"
                        + " flags override both.",
                "SIGTERM or SIGINT lets running requests finish (up to 10 s), then exits 0."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml (version: 0.1)")
    private Path config;

    @Option(names = "--addr", paramLabel = "HOST:PORT", converter = AddressConverter.class,
            description = "address to listen on: :5000 (every interface), 127.0.0.1:5000, [::1]:5000;"
                    + " default " + ListenAddress.DEFAULT + " (or http.addr)")
    private ListenAddress address;

    @Option(names = "--root", paramLabel = "DIR",
            description = "storage root directory, in the reference registry's layout;"
                    + " default ./data (or storage.filesystem.rootdirectory)")
    private Path root;

    @Option(names = "--tls-self-signed", paramLabel = "HOST", arity = "1..*",
            description = "serve HTTPS with a private CA and a certificate for these host names or IPs;"
                    + " prints where clients put ca.crt")
    private List<String> selfSignedHosts;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "where --tls-self-signed keeps ca.crt, ca.key, server.crt, server.key;"
                    + " default: tls beside the storage root")
    private Path tlsDir;

    @Option(names = "--check",
            description = "check the configuration, print it (secrets masked) and the effective state, then exit:"
                    + " 0 if the server could start with it, 1 if not")
    private boolean check;

    private final ServeAction action;
    private final Map<String, String> environment;

    ServeCommand(ServeAction action, Map<String, String> environment) {
        this.action = action;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded loaded = load(Optional.ofNullable(config), environment, spec.commandLine().getErr());
        RegistryConfig effective = withFlags(loaded.config());
        if (check) {
            try {
                ConfigCheck.print(loaded, effective, environment, spec.commandLine().getOut());
            } catch (ConfigException e) {
                throw new ConfigException("configuration error: " + e.getMessage(), e);
            }
            return 0;
        }
        return action.serve(new ServeOptions(loaded.file(), effective), spec.commandLine().getOut());
    }

    /**
     * Reads the configuration ({@code config}, else {@code REGISTRY_CONFIGURATION_PATH}, under the
     * {@code REGISTRY_*} variables) and reports its warnings: as log lines when the logs are JSON,
     * so that every line is a JSON object, else on {@code err}. Shared with {@link PlainServe}.
     */
    static ConfigLoader.Loaded load(Optional<Path> config, Map<String, String> environment, PrintWriter err) {
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(config, environment);
        } catch (ConfigException e) {
            throw new ConfigException("configuration error: " + e.getMessage(), e);
        }
        if (loaded.config().log().formatter() == LogConfig.Formatter.JSON) {
            LogSetup.apply(loaded.config().logLevel(), loaded.config().log());
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);
            for (String warning : loaded.warnings()) log.warn(warning);
        } else {
            for (String warning : loaded.warnings()) err.println("warning: " + warning);
            err.flush();
        }
        return loaded;
    }

    /** Flags given on the command line win over the file and the environment. */
    private RegistryConfig withFlags(RegistryConfig config) {
        RegistryConfig result = config;
        if (address != null) result = result.withHttp(result.http().withAddress(address));
        if (root != null) result = result.withStorage(result.storage().withDriver(new StorageConfig.Driver.Filesystem(root)));
        if (selfSignedHosts != null) {
            for (String host : selfSignedHosts) {
                if (host.endsWith(".yml") || host.endsWith(".yaml")) {
                    // --tls-self-signed takes every word after it; a config file there is a mistake.
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "'" + host
                            + "' looks like a config file, not a host name: put CONFIG before --tls-self-signed");
                }
            }
            Optional<Path> dir = Optional.ofNullable(tlsDir);
            TlsConfig tls = result.http().tls().map(t -> t.selfSigned(selfSignedHosts, dir))
                    .orElseGet(() -> TlsConfig.selfSignedOnly(selfSignedHosts, dir));
            result = result.withHttp(result.http().withTls(Optional.of(tls)));
        } else if (tlsDir != null) {
            var tls = result.http().tls().filter(TlsConfig::isSelfSigned).orElseThrow(() ->
                    new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--tls-dir needs --tls-self-signed (or http.tls.selfsigned.hosts)"));
            result = result.withHttp(result.http().withTls(Optional.of(tls.selfSigned(tls.selfSignedHosts(),
                    Optional.of(tlsDir)))));
        }
        return result;
    }

    /** Turns a parse failure into picocli's usage error (exit code 2) with our message. */
    static final class AddressConverter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            try {
                return ListenAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
