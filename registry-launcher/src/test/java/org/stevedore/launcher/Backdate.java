package org.stevedore.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Ages a filesystem store as if its pushes happened {@code by} earlier: every file's time moves back, order kept. */
final class Backdate {
    private Backdate() {
    }

    static void store(Path root, Duration by) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            FileTime time = Files.getLastModifiedTime(file);
            Files.setLastModifiedTime(file, FileTime.from(time.toInstant().minus(by)));
        }
    }
}
