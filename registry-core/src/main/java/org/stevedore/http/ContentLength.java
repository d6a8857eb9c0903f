package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.stevedore.error.ErrorCode;

/**
 * The request's {@code Content-Length}, read strictly: ASCII digits only, at most what a
 * {@code long} holds. Undertow's own accessor throws {@code NumberFormatException} past that, which
 * would be a 500; here anything else is a 400 {@code SIZE_INVALID} with the error JSON.
 */
final class ContentLength {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

    private ContentLength() {
    }

    /** The declared body length; empty when the request has no {@code Content-Length} (chunked, or none). */
    static OptionalLong of(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        if (header == null) return OptionalLong.empty();
        return OptionalLong.of(parse(header));
    }

    static long parse(String header) {
        String text = header.trim();
        if (DIGITS.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException pastLong) {
                // 19 digits above Long.MAX_VALUE: refused below
            }
        }
        throw ErrorCode.SIZE_INVALID.withDetail("Content-Length must be a number of bytes from 0 to " + Long.MAX_VALUE);
    }
}
