package org.stevedore.tls;

/**
 * A certificate or key could not be read or used; the message names the file and the reason,
 * fit to show an operator as is.
 */
public final class TlsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
