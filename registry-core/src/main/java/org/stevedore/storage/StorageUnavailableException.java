package org.stevedore.storage;

import java.io.IOException;

/**
 * The backend could not be reached or refused the request for a reason that is not the client's
 * (timeouts, throttling, server errors after retries). The HTTP layer answers 503 {@code UNAVAILABLE}
 * so clients retry, instead of a 500; nothing was made visible by the failed operation.
 */
public class StorageUnavailableException extends IOException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
