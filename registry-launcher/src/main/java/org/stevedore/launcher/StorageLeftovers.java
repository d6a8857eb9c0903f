package org.stevedore.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.stevedore.storage.layout.StorageLayout;

/**
 * What offline collection does not reclaim, for its report: upload sessions clients abandoned
 * (upload purging removes them once old enough) and the hidden {@code .tmp-} files that killed
 * writers leave (swept once an hour old, so that no write in progress loses its file). Read from
 * a filesystem root directly: offline collection is filesystem-only.
 */
final class StorageLeftovers {
    private static final String TEMP_PREFIX = ".tmp-";

    /** An upload session: its repository, id, age and bytes received so far. */
    record Session(String repository, String id, Duration age, long bytes) {
    }

    /** Hidden temporary files: how many, their bytes, and how many are old enough to sweep. */
    record Temporaries(int count, long bytes, int sweepable) {
    }

    private StorageLeftovers() {
    }

    static List<Session> uploadSessions(Path root, Instant now) throws IOException {
        Path repositories = root.resolve(StorageLayout.REPOSITORIES.substring(1));
        if (!Files.isDirectory(repositories)) return List.of();
        List<Session> sessions = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(repositories)) {
            for (Path uploads : paths.filter(p -> p.getFileName().toString().equals("_uploads") && Files.isDirectory(p))
                    .toList()) {
                String repository = repositories.relativize(uploads.getParent()).toString().replace('\\', '/');
                try (Stream<Path> ids = Files.list(uploads)) {
                    for (Path session : ids.filter(Files::isDirectory).sorted().toList()) {
                        Path data = session.resolve("data");
                        long bytes = Files.isRegularFile(data) ? Files.size(data) : 0;
                        sessions.add(new Session(repository, session.getFileName().toString(),
                                Duration.between(startedAt(session), now), bytes));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return sessions;
    }

    static Temporaries temporaries(Path root, Instant sweepBefore) throws IOException {
        int[] counts = new int[2];
        long[] bytes = {0};
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path temp : paths.filter(p -> p.getFileName() != null
                    && p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                counts[0]++;
                bytes[0] += size(temp);
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(sweepBefore)) counts[1]++;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Temporaries(counts[0], bytes[0], counts[1]);
    }

    /** The report's closing section; nothing when there is nothing to say. */
    static void print(Path root, Duration purgeAge, PrintWriter out) throws IOException {
        Instant now = Instant.now();
        List<Session> sessions = uploadSessions(root, now);
        if (!sessions.isEmpty()) {
            out.println();
            out.println(sessions.size() + " upload session" + (sessions.size() == 1 ? "" : "s") + " not finished"
                    + " (not collected; upload purging removes those older than " + EffectiveState.words(purgeAge) + "):");
            for (Session session : sessions) {
                out.println("  " + session.repository() + " " + session.id() + ": started " + age(session.age())
                        + " ago, " + HumanSize.of(session.bytes()));
            }
        }
        Temporaries temporaries = temporaries(root, now.minus(Duration.ofHours(1)));
        if (temporaries.count() > 0) {
            out.println();
            out.println(temporaries.count() + " hidden temporary file" + (temporaries.count() == 1 ? "" : "s")
                    + " (.tmp-*, left by interrupted writes), " + HumanSize.of(temporaries.bytes()) + ": "
                    + (temporaries.sweepable() == temporaries.count() ? "all" : temporaries.sweepable() + "")
                    + " older than an hour; a run removes them once they are, so that no write in progress loses its file");
        }
    }

    private static Instant startedAt(Path session) throws IOException {
        Path file = session.resolve("startedat");
        if (Files.isRegularFile(file)) {
            try {
                return OffsetDateTime.parse(Files.readString(file, StandardCharsets.UTF_8).trim()).toInstant();
            } catch (DateTimeParseException unreadable) {
                // counts from the directory's last change, as upload purging does
            }
        }
        return Files.getLastModifiedTime(session).toInstant();
    }

    private static long size(Path path) throws IOException {
        if (!Files.isDirectory(path)) return Files.size(path);
        try (Stream<Path> inside = Files.walk(path)) {
            return inside.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // gone meanwhile
                }
            }).sum();
        }
    }

    /** "3d 4h", "2h 5m", "40s": the two largest units. */
    static String age(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        if (days > 0) return days + "d " + hours + "h";
        if (hours > 0) return hours + "h " + minutes + "m";
        if (minutes > 0) return minutes + "m " + seconds % 60 + "s";
        return seconds + "s";
    }
}
