package org.stevedore.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code stevedore} command; it only holds subcommands (added by
 * {@link Main#commandLine}, in the order help lists them), help and version. As with
 * distribution's {@code registry}, {@code -v}, {@code --version} and {@code version} print the
 * version; {@code help COMMAND} prints a command's usage, as {@code COMMAND --help} does.
 */
@Command(name = "stevedore",
        versionProvider = VersionProvider.class,
        description = "An OCI container image registry.",
        synopsisSubcommandLabel = "COMMAND")
final class StevedoreCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = {"-v", "-V", "--version"}, versionHelp = true,
            description = "Print the version, commit and build date, and exit.")
    private boolean version;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
