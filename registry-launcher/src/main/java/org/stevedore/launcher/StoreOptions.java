package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The store a command works on (usage, verify, retention, delete-repository, import, export): the
 * optional CONFIG positional and {@link #open()}, which configures the store as {@code serve} would.
 * A picocli mixin, so every store command reads CONFIG the same way and says so the same way.
 */
final class StoreOptions {
    // "+": CONFIG comes after the command's own positionals (first for usage, third for import).
    @Parameters(index = "+", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml, read as serve reads it")
    private Path config;

    // The command holding this mixin: its error stream gets the configuration warnings.
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    private final Map<String, String> environment;
    private final S3StorageFactory s3;

    StoreOptions(Map<String, String> environment, S3StorageFactory s3) {
        this.environment = Map.copyOf(environment);
        this.s3 = s3;
    }

    /** Loads the configuration (warnings to the command's error stream) and opens its storage. */
    ConfiguredStore open() throws Exception {
        return ConfiguredStore.open(Optional.ofNullable(config), environment, s3, command.commandLine().getErr());
    }
}
