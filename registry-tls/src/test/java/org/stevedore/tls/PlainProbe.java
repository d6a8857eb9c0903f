package org.stevedore.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Speaks plain HTTP to a port and returns what came back before the server closed (or a timeout). */
final class PlainProbe {
    private PlainProbe() {
    }

    record Answer(String text, boolean closed, long millis) {
    }

    static Answer send(int port, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            boolean closed = false;
            try {
                for (int n = in.read(buffer); ; n = in.read(buffer)) {
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException reset) {
                closed = true; // a reset is a prompt close too
            }
            return new Answer(received.toString(StandardCharsets.ISO_8859_1), closed,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
