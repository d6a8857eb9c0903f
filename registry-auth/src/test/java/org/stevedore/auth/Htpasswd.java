package org.stevedore.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.stevedore.auth.htpasswd.Bcrypt;

/** Writes htpasswd files for tests: cost 4, the cheapest bcrypt, keeps tests fast. */
final class Htpasswd {
    private Htpasswd() {
    }

    /** Writes {@code user, password, user, password, …} to {@code file}. */
    static Path write(Path file, String... usersAndPasswords) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < usersAndPasswords.length; i += 2) {
            lines.add(usersAndPasswords[i] + ":" + Bcrypt.hash(usersAndPasswords[i + 1], 4));
        }
        boolean existed = Files.exists(file);
        FileTime before = existed ? Files.getLastModifiedTime(file) : null;
        Files.write(file, lines);
        // Some filesystems keep whole-second times: make the change visible whatever the clock says.
        if (existed) Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
        return file;
    }
}
