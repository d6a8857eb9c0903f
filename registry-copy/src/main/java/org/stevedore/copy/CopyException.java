package org.stevedore.copy;

import java.io.IOException;

/** A copy that cannot go on: refused credentials, a missing image, an unexpected answer. Published API. */
public final class CopyException extends IOException {
    public CopyException(String message) {
        super(message);
    }
}
