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
 */
final class AccessLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("org.stevedore.access");
    private static final String LINE = "{} {} {} {} bytes {} ms id={} user={} received={} remote={} agent=\"{}\"";

    private AccessLog() {
    }

    static void write(HttpServerExchange exchange, boolean atInfo, String requestId, long nanos, long received,
                      String user) {
        Level level = atInfo ? Level.INFO : Level.DEBUG;
        if (!ACCESS.isEnabledForLevel(level)) return;
        long millis = nanos / 1_000_000;
        String method = exchange.getRequestMethod().toString();
        String path = printable(exchange.getRequestPath());
        int status = exchange.getStatusCode();
        long sent = exchange.getResponseBytesSent();
        String who = user == null ? "-" : printable(user);
        String remote = remote(exchange.getSourceAddress());
        String agent = printable(String.valueOf(exchange.getRequestHeaders().getFirst(Headers.USER_AGENT)));
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
            event.log(LINE, method, path, status, sent, millis, requestId, who, received, remote, agent);
        } finally {
            if (setMdc) MDC.remove("request");
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
