package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Entry point of {@code java -jar stevedore.jar}. Exit codes: 0 success (also after SIGTERM or
 * SIGINT once in-flight requests are drained), 1 runtime failure (e.g. the port is taken),
 * 2 usage error.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Undertow and XNIO log through JBoss Logging, which would pick java.util.logging (another
        // format, on another stream) unless told to use SLF4J like the rest of the server.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        if (args.length > 0 && args[0].equals("serve")) {
            // XNIO's task queue would be a third MBean; its statistics are not published anywhere.
            if (System.getProperty("jboss.threads.eqe.disable-mbean") == null) {
                System.setProperty("jboss.threads.eqe.disable-mbean", "true");
            }
            // Nor XNIO's own MBeans, whose registration would build the platform MBean server.
            NoXnioMBeanServerBuilder.install();
            StartupPreload.startInBackground();
        }
        RegistryServer server = new RegistryServer(new ConfiguredAuth(), new ConfiguredS3());
        Optional<Optional<Path>> plainServe = PlainServe.match(args);
        if (plainServe.isPresent()) {
            System.exit(PlainServe.run(plainServe.get(), System.getenv(), server,
                    new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
        }
        System.exit(commandLine(server, System.getenv(), args).execute(args));
    }

    /**
     * The command tree {@code args} need. {@code serve} gets a tree with only its own command:
     * picocli reflects over every command it is given, and the twelve others cost about 90 ms of
     * each server start (measured with {@code -Xlog:class+load}). Everything else, help included,
     * gets the whole tree.
     */
    static CommandLine commandLine(ServeAction serve, Map<String, String> environment, String[] args) {
        boolean serving = args.length > 0 && args[0].equals("serve");
        return tree(serve, environment, !serving);
    }

    /**
     * The whole command tree, with {@code stevedore serve} handing its parsed options to
     * {@code serve}; tests pass an action that records them instead of starting a server.
     */
    static CommandLine commandLine(ServeAction serve) {
        return commandLine(serve, Map.of());
    }

    /** As {@link #commandLine(ServeAction)}, reading {@code REGISTRY_*} settings from {@code environment}. */
    static CommandLine commandLine(ServeAction serve, Map<String, String> environment) {
        return tree(serve, environment, true);
    }

    private static CommandLine tree(ServeAction serve, Map<String, String> environment, boolean everyCommand) {
        CommandLine commandLine = new CommandLine(new StevedoreCommand());
        commandLine.addSubcommand(new ServeCommand(serve, environment));
        if (everyCommand) addOtherCommands(commandLine, environment);
        commandLine.setParameterExceptionHandler((e, args) -> {
            // The reason and a pointer to --help; the full usage would bury the reason.
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println(failed.getColorScheme().errorText(e.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            // An operator wants the reason, not a stack trace: "cannot serve on :5000: Address already in use".
            PrintWriter err = failed.getErr();
            err.println(failed.getCommandSpec().qualifiedName() + ": " + describe(e));
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine;
    }

    /** Every command but {@code serve}, in the order help lists them. */
    private static void addOtherCommands(CommandLine commandLine, Map<String, String> environment) {
        commandLine.addSubcommand(new GarbageCollectCommand(environment));
        commandLine.addSubcommand(new HtpasswdCommand());
        commandLine.addSubcommand(new VersionCommand());
        // `source <(stevedore completion)`: bash and zsh completion of commands and options.
        CommandLine completion = new CommandLine(new picocli.AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().hidden(false)
                .description("Print a bash/zsh completion script: source <(stevedore completion)");
        commandLine.addSubcommand("completion", completion);
        S3StorageFactory s3 = new ConfiguredS3();
        commandLine.addSubcommand(new RetentionCommand(environment, s3));
        commandLine.addSubcommand(new UsageCommand(environment, s3));
        commandLine.addSubcommand(new VerifyCommand(environment, s3));
        commandLine.addSubcommand(new DeleteRepositoryCommand(environment, s3));
        commandLine.addSubcommand(new ImportCommand(environment, s3));
        commandLine.addSubcommand(new ExportCommand(environment, s3));
        commandLine.addSubcommand(new CopyCommand(environment));
        commandLine.addSubcommand(new CommandLine.HelpCommand());
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message != null && !message.isBlank() ? message : e.toString();
    }
}
