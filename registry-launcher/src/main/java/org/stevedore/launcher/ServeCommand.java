package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code stevedore serve [CONFIG] [--addr HOST:PORT] [--root DIR]}: runs the registry server. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Serves the OCI distribution API over filesystem storage until stopped.",
                "SIGTERM or SIGINT lets running requests finish (up to 10 s), then exits 0."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml (accepted, not read yet: a warning is printed)")
    private Path config;

    @Option(names = "--addr", paramLabel = "HOST:PORT", defaultValue = ListenAddress.DEFAULT,
            converter = AddressConverter.class,
            description = "address to listen on: :5000 (every interface), 127.0.0.1:5000, [::1]:5000;"
                    + " default ${DEFAULT-VALUE}")
    private ListenAddress address;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "./data",
            description = "storage root directory, in the reference registry's layout; default ${DEFAULT-VALUE}")
    private Path root;

    @Mixin
    private LifecycleOptions lifecycle = new LifecycleOptions();

    private final ServeAction action;

    ServeCommand(ServeAction action) {
        this.action = action;
    }

    /** The options as parsed; valid once picocli has parsed the arguments. */
    ServeOptions options() {
        return new ServeOptions(Optional.ofNullable(config), address, root, lifecycle);
    }

    @Override
    public Integer call() throws Exception {
        ServeOptions options = options();
        options.config().ifPresent(path -> {
            var err = spec.commandLine().getErr();
            err.println("warning: config file " + path + " is not read yet;"
                    + " serving with defaults and command-line flags");
            err.flush();
        });
        return action.serve(options, spec.commandLine().getOut());
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
