package org.stevedore.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code stevedore} command; it only holds subcommands, help and version. */
@Command(name = "stevedore",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An OCI container image registry.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {GarbageCollectCommand.class, HtpasswdCommand.class})
final class StevedoreCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
