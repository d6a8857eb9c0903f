package org.stevedore.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** distribution's {@code health.file} check: unhealthy while the file exists (a maintenance switch). */
public final class FileCheck implements HealthCheck {
    private final Path file;

    public FileCheck(Path file) {
        this.file = file;
    }

    @Override
    public void check() throws IOException {
        // distribution's message, so scripts that read /debug/health see the same text
        if (Files.exists(file)) throw new IOException("file exists");
    }
}
