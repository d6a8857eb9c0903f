package org.stevedore.auth.htpasswd;

import java.nio.file.Path;

/** An htpasswd file that cannot be used, with the file and line that say why. */
public final class HtpasswdFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public HtpasswdFormatException(Path file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
    }
}
