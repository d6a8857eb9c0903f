package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stevedore serve} and {@code stevedore serve CONFIG}, the two commands the image, the
 * systemd unit and most operators run, without picocli. Building picocli's model of even the
 * {@code serve} command alone (annotation reflection and its built-in type converters, run
 * interpreted) took 50–100 ms of the main thread before the server could start; these two forms
 * need none of it. Anything else, a flag, {@code --help} or an {@code @file} argument included,
 * goes through picocli as before. Output and exit codes are those of the picocli path
 * ({@code CommandLineTest} compares them).
 */
final class PlainServe {
    private static final String NAME = "stevedore serve";

    private PlainServe() {
    }

    /**
     * The CONFIG argument when {@code args} are a plain serve: {@code Optional.of(Optional.empty())}
     * for {@code serve}, {@code Optional.of(Optional.of(path))} for {@code serve CONFIG}; empty
     * when picocli has to parse them.
     */
    static Optional<Optional<Path>> match(String[] args) {
        if (args.length == 0 || args.length > 2 || !args[0].equals("serve")) return Optional.empty();
        if (args.length == 1) return Optional.of(Optional.empty());
        String config = args[1];
        // Options, "--" and picocli's @argument files need the parser.
        if (config.isEmpty() || config.startsWith("-") || config.startsWith("@")) return Optional.empty();
        return Optional.of(Optional.of(Path.of(config)));
    }

    /** Serves with {@code config}; the exit code, as picocli's execution of {@link ServeCommand} gives it. */
    static int run(Optional<Path> config, Map<String, String> environment, ServeAction action,
                   PrintWriter out, PrintWriter err) {
        try {
            ConfigLoader.Loaded loaded = ServeCommand.load(config, environment, err);
            return action.serve(new ServeOptions(loaded.file(), loaded.config()), out);
        } catch (Exception e) {
            // The message Main's execution exception handler prints for the picocli path.
            err.println(NAME + ": " + Main.describe(e));
            err.flush();
            return 1;
        }
    }
}
