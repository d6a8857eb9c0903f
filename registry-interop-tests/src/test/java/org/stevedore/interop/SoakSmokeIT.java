package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short CI version of the soak ({@code bench/soak}, normally 32 clients for 5 minutes): 8
 * clients for 15 s against the launched jar. Every answer must be the expected one, and the
 * server must keep no files or sockets open afterwards, nor grow its live heap.
 */
class SoakSmokeIT {
    @Test
    void shortSoakHasNoErrorsAndLeaksNoDescriptors(@TempDir Path classes) throws Exception {
        Path soak = Path.of("../bench/soak-java");
        Path jar = Path.of(System.getProperty("stevedore.jar", "../registry-launcher/target/stevedore.jar"));
        assertTrue(Files.isDirectory(soak), soak + " is missing");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build registry-launcher first");
        List<String> javac = new java.util.ArrayList<>(List.of("-d", classes.toString()));
        try (var sources = Files.list(soak)) {
            sources.filter(file -> file.toString().endsWith(".java")).forEach(file -> javac.add(file.toString()));
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(String[]::new)),
                "bench/soak-java does not compile");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Processes.Result result = Processes.run(List.of(java.toString(), "-cp", classes.toString(), "Soak",
                "--jar", jar.toString(),
                "--clients", "8", "--duration", "15", "--warmup", "4", "--sample", "4"), Map.of(), Duration.ofSeconds(120));
        String output = new String(result.stdout(), StandardCharsets.UTF_8);
        System.out.println(output.lines().filter(line -> line.startsWith("FIGURES:")).findFirst().orElse(output));
        assertEquals(0, result.exitCode(), output + result.stderr());
        assertTrue(output.contains("SOAK PASSED") && output.contains(", errors 0,"), output);
    }
}
