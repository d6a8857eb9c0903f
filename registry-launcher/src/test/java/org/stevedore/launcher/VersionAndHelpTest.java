package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Issue 16 item 12: version, help and shell completion as users of distribution and picocli type them. */
class VersionAndHelpTest {
    /** The line the build fills in: version, the commit's short id, the build's UTC time. */
    private static final String VERSION_LINE =
            "stevedore \\S+ \\(commit [0-9a-f]{7,}(-dirty)?, built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> 0);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-v", "-V", "--version", "version"})
    void printsVersionCommitAndBuildDate(String argument) {
        assertEquals(0, run(argument), err.toString());
        String[] lines = out.toString().split("\\R");
        assertTrue(lines[0].matches(VERSION_LINE), lines[0]);
        assertTrue(lines[1].startsWith("Java " + Runtime.version().feature()), lines[1]);
    }

    @Test
    void helpServeIsServeHelp() {
        assertEquals(0, run("help", "serve"));
        String viaHelp = out.toString();
        out.getBuffer().setLength(0);
        assertEquals(0, run("serve", "--help"));
        assertEquals(out.toString(), viaHelp);
        assertTrue(viaHelp.startsWith("Usage: stevedore serve"), viaHelp);
        assertTrue(viaHelp.contains("--check"), viaHelp);
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"serve", "garbage-collect", "htpasswd", "version", "help", "completion"}) {
            assertTrue(out.toString().contains("  " + command + " "), command + " in " + out);
        }
    }

    /** The script is real bash: sourced, it completes "stevedore ser" to serve and serve's options. */
    @Test
    void completionScriptCompletesInBash(@TempDir Path temp) throws IOException, InterruptedException {
        assertEquals(0, run("completion"), err.toString());
        Path script = Files.writeString(temp.resolve("stevedore-completion.bash"), out.toString());
        assertEquals("serve", complete(script, "stevedore ser"));
        assertTrue(complete(script, "stevedore serve --ch").contains("--check"));
        assertTrue(complete(script, "stevedore garbage-collect --f").contains("--force"));
    }

    private static String complete(Path script, String line) throws IOException, InterruptedException {
        String bash = "source " + script + "\nCOMP_LINE='" + line + "'\nread -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\nCOMP_POINT=${#COMP_LINE}\n"
                + "_complete_stevedore stevedore \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process process = new ProcessBuilder("bash", "-c", bash).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), output);
        return output;
    }
}
