package org.stevedore.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests over plain sockets, byte for byte as written: what {@code java.net.http} refuses to
 * send (conflicting framing, oversize or malformed headers, raw dots and encoded slashes).
 */
final class RawHttp {
    private final InetSocketAddress address;

    RawHttp(String host, int port) {
        this.address = new InetSocketAddress(host, port);
    }

    /** The first answer: status -1 when the server closed (or went silent) without one. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    /** A request with {@code Connection: close} added, so the answer ends at EOF. */
    Answer send(String method, String target, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n");
        for (String header : headers) head.append(header).append("\r\n");
        return exchange(concat(head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1),
                body));
    }

    /** Sends exactly {@code bytes} and reads until EOF or 15 s of silence. */
    Answer exchange(byte[] bytes) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
            socket.setSoTimeout(15_000);
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException closedEarly) {
                // The server may answer and close before reading everything; read what it said.
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[] head, byte[] body) {
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
        } catch (java.net.SocketException | SocketTimeoutException reset) {
            // A reset or a silent server after (or instead of) the answer: keep what arrived.
        }
        return out.toByteArray();
    }

    private static Answer parse(byte[] bytes) {
        String all = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/") || end < 0) return new Answer(-1, Map.of(), bytes);
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        int start = end + 4;
        int length = headers.containsKey("Content-Length") ? Integer.parseInt(headers.get("Content-Length"))
                : bytes.length - start;
        return new Answer(status, headers, java.util.Arrays.copyOfRange(bytes, start, Math.min(bytes.length, start + length)));
    }
}
