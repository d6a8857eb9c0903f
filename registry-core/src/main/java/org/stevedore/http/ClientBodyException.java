package org.stevedore.http;

import java.io.IOException;

/**
 * Reading the request body failed: the client disconnected, stalled past the idle bound, or sent
 * a malformed chunked body. A client's fault, answered with 400 and logged without a stack trace.
 */
final class ClientBodyException extends IOException {
    ClientBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
