package org.stevedore.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where the server listens, in distribution's {@code http.addr} form: {@code :5000} (every
 * interface), {@code 127.0.0.1:5000}, {@code localhost:5000} or {@code [::1]:5000}.
 *
 * @param host IP literal or host name, IPv6 without brackets; empty means every interface
 * @param port 0 (any free port) to 65535
 */
record ListenAddress(String host, int port) {
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final String FORMS = "expected HOST:PORT, e.g. :5000, 127.0.0.1:5000 or [::1]:5000";

    /** The server default, as distribution's: every interface, port 5000. */
    static final String DEFAULT = ":5000";

    ListenAddress {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        if (!host.isEmpty() && !isValidHost(host)) throw new IllegalArgumentException("invalid host '" + host + "'");
    }

    /** Parses {@code [HOST]:PORT}; the message of the exception says what is wrong. */
    static ListenAddress parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "': " + FORMS);
            }
            host = text.substring(1, close);
            if (!host.contains(":")) throw new IllegalArgumentException("'" + text + "': brackets are for IPv6 addresses");
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) throw new IllegalArgumentException("'" + text + "': " + FORMS);
            host = text.substring(0, colon);
            if (host.contains(":")) {
                throw new IllegalArgumentException("'" + text + "': put IPv6 addresses in brackets, e.g. [::1]:5000");
            }
            port = text.substring(colon + 1);
        }
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + text + "': port must be a number from 0 to 65535");
        }
        return new ListenAddress(host, Integer.parseInt(port));
    }

    /** The address to bind: {@code 0.0.0.0} for every interface. */
    String bindAddress() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    boolean isEveryInterface() {
        return host.isEmpty();
    }

    /** The form {@link #parse} reads. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static boolean isValidHost(String host) {
        if (host.contains(":")) return isIpv6Literal(host);
        if (DIGITS_AND_DOTS.matcher(host).matches()) return IPV4.matcher(host).matches();
        return host.length() <= 253 && HOST_NAME.matcher(host).matches();
    }

    private static boolean isIpv6Literal(String host) {
        try {
            // Bracketed, InetAddress parses the literal and never asks DNS (it throws instead).
            return InetAddress.getByName("[" + host + "]") != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
