package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The access line of one request, on logger {@code org.stevedore.access} (turn that logger off to
 * drop access lines): method, path (never the query, which may carry state), status, bytes sent
 * and received, duration, request id, user, remote address and user agent. The same values go
 * out as SLF4J key-value pairs named as distribution's log fields, for structured backends.
 * Headers are never logged, so credentials and tokens cannot leak here.
 *
 * <p>A request the client broke off (it vanished or stopped sending mid-body, or hung up during
 * the response) is marked {@code aborted}: with the status sent, or nginx's {@code 499} when the
 * client was gone before any answer, since the 200 Undertow starts every exchange with would be a lie.
 */
final class AccessLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("org.stevedore.access");
    private static final String LINE = "{} {} {}{} {} bytes {} ms id={} user={} received={} remote={} agent=\"{}\"";
    /** nginx's status for a request whose client closed the connection before it was answered. */
    static final int CLIENT_CLOSED_REQUEST = 499;

    /** Set when reading the request body failed because of the client. */
    static final io.undertow.util.AttachmentKey<Boolean> CLIENT_ABORTED =
            io.undertow.util.AttachmentKey.create(Boolean.class);

    private AccessLog() {
    }

    static void write(HttpServerExchange exchange, boolean atInfo, String requestId, long nanos, long received,
                      String user) {
        Level level = atInfo ? Level.INFO : Level.DEBUG;
        if (!ACCESS.isEnabledForLevel(level)) return;
        long millis = nanos / 1_000_000;
        String method = exchange.getRequestMethod().toString();
        String path = printable(exchange.getRequestPath());
        long sent = exchange.getResponseBytesSent();
        boolean aborted = Boolean.TRUE.equals(exchange.getAttachment(CLIENT_ABORTED)) || !exchange.isResponseComplete()
                || shortBody(exchange, sent);
        int status = aborted && !exchange.isResponseStarted() ? CLIENT_CLOSED_REQUEST : exchange.getStatusCode();
        String who = user == null ? "-" : printable(user);
        String remote = remote(exchange.getSourceAddress());
        String agent = printable(String.valueOf(exchange.getRequestHeaders().getFirst(Headers.USER_AGENT)));
        line(level, method, path, status, aborted, sent, millis, requestId, who, received, remote, agent);
    }

    /**
     * The access line of an API operation made outside an HTTP request to the API (a deletion from
     * the web UI, {@link ManifestDeleter}): the same fields, for the operation as if it had come as
     * its {@code /v2/} request, nothing sent or received.
     */
    static void writeOperation(boolean atInfo, CompletedRequest request, long nanos) {
        Level level = atInfo ? Level.INFO : Level.DEBUG;
        if (!ACCESS.isEnabledForLevel(level)) return;
        CompletedRequest.ClientInfo client = request.client();
        String remote = client.remoteAddress().startsWith("/") ? client.remoteAddress().substring(1) : client.remoteAddress();
        line(level, request.method(), printable(request.path()), request.status(), false, 0, nanos / 1_000_000,
                client.requestId(), request.user().map(AccessLog::printable).orElse("-"), 0, printable(remote),
                printable(client.userAgent()));
    }

    private static void line(Level level, String method, String path, int status, boolean aborted, long sent,
                             long millis, String requestId, String who, long received, String remote, String agent) {
        // Completion may run on an I/O thread, where the worker's MDC is not set.
        boolean setMdc = MDC.get("request") == null;
        if (setMdc) MDC.put("request", requestId);
        try {
            LoggingEventBuilder event = ACCESS.atLevel(level)
                    .addKeyValue("http.request.method", method)
                    .addKeyValue("http.request.uri", path)
                    .addKeyValue("http.response.status", status)
                    .addKeyValue("http.response.written", sent)
                    .addKeyValue("http.request.read", received)
                    .addKeyValue("http.response.duration_ms", millis)
                    .addKeyValue("http.request.id", requestId)
                    .addKeyValue("auth.user.name", who)
                    .addKeyValue("http.request.remoteaddr", remote)
                    .addKeyValue("http.request.useragent", agent);
            if (aborted) event = event.addKeyValue("http.request.aborted", true);
            event.log(LINE, method, path, status, aborted ? " aborted" : "", sent, millis, requestId, who, received, remote,
                    agent);
        } finally {
            if (setMdc) MDC.remove("request");
        }
    }

    /** A body cut short: fewer bytes went out than the response's Content-Length promised. */
    private static boolean shortBody(HttpServerExchange exchange, long sent) {
        if (exchange.getRequestMethod().equals(io.undertow.util.Methods.HEAD)) return false;
        String declared = exchange.getResponseHeaders().getFirst(Headers.CONTENT_LENGTH);
        if (declared == null) return false;
        try {
            return sent < Long.parseLong(declared);
        } catch (NumberFormatException unparsable) {
            return false;
        }
    }

    private static String remote(InetSocketAddress address) {
        if (address == null) return "-";
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Control characters and quotes from the client would let it forge log lines; replace them. */
    private static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"') {
                if (out == null) out = new StringBuilder(text.substring(0, i));
                out.append('?');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
