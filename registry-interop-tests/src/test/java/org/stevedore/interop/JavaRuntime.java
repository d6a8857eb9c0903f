package org.stevedore.interop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Java runtime {@code bin/stevedore} can be pointed at with {@code JAVA_HOME}, and its feature
 * version (17, 25), which decides how the launcher speeds up the start: a class-data archive
 * below 25, the JDK's AOT cache from 25 on.
 */
record JavaRuntime(Path home, int feature) {
    /**
     * The runtime running the tests, always, and each Temurin 25 under /usr/lib/jvm (the build
     * machines carry one beside Debian's 17): so the launcher's Java 17 path is covered on every
     * machine, and its AOT path wherever a Java 25 is installed.
     */
    static List<JavaRuntime> onThisMachine() throws IOException {
        Map<Path, JavaRuntime> found = new LinkedHashMap<>();
        JavaRuntime own = current();
        found.put(own.home().toRealPath(), own);
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms, "temurin-25*")) {
                for (Path home : homes) {
                    if (Files.isExecutable(home.resolve("bin/java"))) {
                        found.putIfAbsent(home.toRealPath(), new JavaRuntime(home, featureOf(home)));
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The runtime running the tests. */
    static JavaRuntime current() {
        return new JavaRuntime(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /** The file name pattern of what the launcher's first start records: the class list or the AOT record. */
    String recordGlob() {
        return "stevedore-java" + feature + (aotCache() ? "*.aotconf" : "*.classlist");
    }

    /** The file name pattern of what the launcher's second start makes: the archive or the cache. */
    String cacheGlob() {
        return "stevedore-java" + feature + (aotCache() ? "*.aot" : "*.jsa");
    }

    /** Whether the launcher uses the AOT cache (Java 25 and later) rather than a class-data archive. */
    boolean aotCache() {
        return feature >= 25;
    }

    /** The feature version in the runtime's {@code release} file ({@code JAVA_VERSION="25.0.3"}). */
    private static int featureOf(Path home) throws IOException {
        for (String line : Files.readAllLines(home.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                return Integer.parseInt(version.split("[.+-]")[0]);
            }
        }
        throw new IOException(home + "/release names no JAVA_VERSION");
    }

    @Override
    public String toString() {
        return "Java " + feature + " (" + home + ")";
    }
}
