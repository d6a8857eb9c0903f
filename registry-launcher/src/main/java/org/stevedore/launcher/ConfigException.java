package org.stevedore.launcher;

/**
 * The configuration cannot be used; the message names the key (and the environment variable
 * that set it, if one did) and says what is wrong, fit to show an operator as is.
 */
final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message);
    }

    ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
