package org.stevedore.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** distribution's {@code health.tcp} check: a TCP connection to {@code host:port} opens within the timeout. */
public final class TcpCheck implements HealthCheck {
    private final String address;
    private final String host;
    private final int port;
    private final Duration timeout;

    /** @param address {@code host:port} or {@code [v6]:port} */
    public TcpCheck(String address, Duration timeout) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) throw new IllegalArgumentException("'" + address + "' is not host:port");
        String h = address.substring(0, colon);
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        try {
            this.port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + address + "' is not host:port");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("'" + address + "': port out of range");
        this.address = address;
        this.timeout = timeout;
    }

    @Override
    public void check() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
        } catch (IOException e) {
            throw new IOException("connection to " + address + " failed", e);
        }
    }
}
