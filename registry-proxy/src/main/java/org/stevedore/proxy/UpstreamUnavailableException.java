package org.stevedore.proxy;

/**
 * The upstream could not answer: connection refused, timeout, a 5xx, 429, or refused
 * credentials. Callers serve what storage holds instead, or report {@code UNAVAILABLE}.
 */
final class UpstreamUnavailableException extends RuntimeException {
    UpstreamUnavailableException(String message) {
        super(message, null, false, false);
    }
}
