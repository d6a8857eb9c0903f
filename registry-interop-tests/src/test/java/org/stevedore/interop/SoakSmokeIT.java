package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short CI version of the soak ({@code bench/soak}, normally 32 clients for 5 minutes): 8
 * clients for 15 s against the launched jar. Every answer must be the expected one, and the
 * server must keep no files or sockets open afterwards, nor grow its live heap.
 */
class SoakSmokeIT {
    @Test
    void shortSoakHasNoErrorsAndLeaksNoDescriptors() throws Exception {
        Path soak = Path.of("../bench/Soak.java");
        Path jar = Path.of(System.getProperty("stevedore.jar", "../registry-launcher/target/stevedore.jar"));
        assertTrue(Files.isRegularFile(soak), soak + " is missing");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build registry-launcher first");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Processes.Result result = Processes.run(List.of(java.toString(), soak.toString(), "--jar", jar.toString(),
                "--clients", "8", "--duration", "15", "--warmup", "4", "--sample", "4"), Map.of(), Duration.ofSeconds(120));
        String output = new String(result.stdout(), StandardCharsets.UTF_8);
        System.out.println(output.lines().filter(line -> line.startsWith("FIGURES:")).findFirst().orElse(output));
        assertEquals(0, result.exitCode(), output + result.stderr());
        assertTrue(output.contains("SOAK PASSED") && output.contains(", errors 0,"), output);
    }
}
