package org.stevedore.launcher;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.stevedore.auth.htpasswd.Bcrypt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore htpasswd [-Bbnc] [-C COST] [FILE] USER [PASSWORD]}: Apache's {@code htpasswd}
 * for registries, bcrypt only. {@code -n} prints the line instead of updating FILE; without
 * {@code -b} the password is read from the terminal (asked twice) or the first line of standard
 * input. Lines are {@code user:$2y$…}, which Apache's {@code htpasswd -v} and distribution accept.
 */
@Command(name = "htpasswd",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Creates or updates htpasswd entries (bcrypt), as Apache's htpasswd -B.",
                "  stevedore htpasswd -Bbn USER PASSWORD      print a line",
                "  stevedore htpasswd -B [-c] FILE USER       add or update USER in FILE"})
final class HtpasswdCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "-B", description = "bcrypt (the only format; accepted for compatibility)")
    private boolean bcrypt;

    @Option(names = "-b", description = "take the password from the command line")
    private boolean batch;

    @Option(names = "-n", description = "print the line to standard output instead of updating a file")
    private boolean print;

    @Option(names = "-c", description = "create FILE (replacing it if it exists)")
    private boolean create;

    @Option(names = "-i", description = "read the password from standard input without prompting")
    private boolean stdin;

    @Option(names = "-C", paramLabel = "COST", defaultValue = "" + Bcrypt.DEFAULT_COST,
            description = "bcrypt cost, 4 to 31; default ${DEFAULT-VALUE}")
    private int cost;

    @Parameters(paramLabel = "ARGS", arity = "1..3", description = "[FILE] USER [PASSWORD]")
    private List<String> arguments = new ArrayList<>();

    private final InputStream input;

    HtpasswdCommand() {
        this(System.in);
    }

    HtpasswdCommand(InputStream input) {
        this.input = input;
    }

    @Override
    public Integer call() throws IOException {
        if (cost < 4 || cost > 31) throw new ParameterException(spec.commandLine(), "-C must be 4..31, not " + cost);
        int expected = (print ? 1 : 2) + (batch ? 1 : 0);
        if (arguments.size() != expected) {
            throw new ParameterException(spec.commandLine(), "expected " + (print ? "" : "FILE ") + "USER"
                    + (batch ? " PASSWORD" : "") + ", got " + arguments.size() + " arguments");
        }
        Path file = print ? null : Path.of(arguments.get(0));
        String user = arguments.get(print ? 0 : 1);
        if (user.isEmpty() || user.contains(":")) {
            throw new ParameterException(spec.commandLine(), "user name must be non-empty and without ':'");
        }
        String password = batch ? arguments.get(expected - 1) : readPassword();
        String line = user + ":" + Bcrypt.hash(password, cost);
        if (print) {
            spec.commandLine().getOut().println(line);
            spec.commandLine().getOut().flush();
        } else {
            boolean added = update(file, user, line);
            spec.commandLine().getErr().println((added ? "Adding" : "Updating") + " password for user " + user);
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    private String readPassword() throws IOException {
        Console console = System.console();
        if (console != null && !stdin) {
            char[] first = console.readPassword("New password: ");
            char[] second = console.readPassword("Re-type new password: ");
            if (first == null || !Arrays.equals(first, second)) throw new IOException("password verification error");
            return new String(first);
        }
        String line = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)).readLine();
        if (line == null) throw new IOException("no password on standard input");
        return line;
    }

    /** Replaces USER's line or appends one, atomically; returns whether USER was new. */
    private boolean update(Path file, String user, String line) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!create) {
            if (!Files.exists(file)) throw new IOException("cannot modify " + file + ": no such file (use -c to create)");
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        boolean added = true;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(user + ":")) {
                lines.set(i, line);
                added = false;
            }
        }
        if (added) lines.add(line);
        Path parent = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(parent, ".htpasswd", ".tmp");
        Files.write(temp, lines, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return added;
    }
}
