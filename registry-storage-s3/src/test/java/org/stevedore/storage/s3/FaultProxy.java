package org.stevedore.storage.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of the S3 server that injects faults per request: a delay, a
 * dropped connection, a request cut off after its head, or a 500/503 answer with an S3 error
 * body. It rewrites each request's {@code Connection} header to {@code close} (a header SigV4 does
 * not sign), so every connection carries one request and every request gets its own fault
 * decision. Faults come from a queue ({@link #inject}) or, while set, from {@link #failEverything}.
 *
 * <p>With {@link #serializeConditionalWrites} it also makes conditional writes atomic, as S3 does
 * and S3Proxy does not: S3Proxy checks {@code If-Match} / {@code If-None-Match} and then writes,
 * so two conditional PUTs of one key that overlap can both pass. The proxy forwards such requests
 * (PUT or POST with either header) one at a time, each until its response is complete.
 */
final class FaultProxy implements AutoCloseable {
    /** What to do with one request. */
    sealed interface Fault permits Fault.Pass, Fault.Delay, Fault.Drop, Fault.Cut, Fault.Deaf, Fault.Status {
        record Pass() implements Fault {
        }

        record Delay(long millis) implements Fault {
        }

        record Drop() implements Fault {
        }

        /** The request's head reaches the server, then both connections close: a client killed mid-request. */
        record Cut() implements Fault {
        }

        /** The whole request reaches the server, which applies it; its answer never reaches the client. */
        record Deaf() implements Fault {
        }

        record Status(int code, String s3Code) implements Fault {
        }
    }

    static final Fault PASS = new Fault.Pass();
    static final Fault DROP = new Fault.Drop();
    static final Fault CUT = new Fault.Cut();
    static final Fault DEAF = new Fault.Deaf();
    static final Fault SLOW_DOWN = new Fault.Status(503, "SlowDown");
    static final Fault INTERNAL_ERROR = new Fault.Status(500, "InternalError");

    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Fault> queue = new ArrayDeque<>();
    private volatile Fault always;
    private volatile boolean serializeConditional;
    private final Object conditionalWrites = new Object();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** Each request's method, target and copy source (if any), in arrival order; cleared by {@link #takeLog}. */
    private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next requests meet these faults, in order; later ones pass. */
    synchronized void inject(Fault... next) {
        for (Fault fault : next) queue.addLast(fault);
    }

    /** Every request meets {@code fault} until called with {@code null}. */
    void failEverything(Fault fault) {
        always = fault;
    }

    /** Forwards conditional writes one at a time from now on (see the class comment). */
    void serializeConditionalWrites() {
        serializeConditional = true;
    }

    int requests() {
        return requests.get();
    }

    /**
     * The most requests this proxy held at once (from their head's arrival to their end) since the
     * last call: whether a client sent requests side by side, whatever the machine's speed.
     */
    int takeMostInFlight() {
        return mostInFlight.getAndSet(inFlight.get());
    }

    /** Requests that met a fault other than passing. */
    int faults() {
        return faults.get();
    }

    /**
     * The requests seen since the last call, as {@code "METHOD /bucket/key?query"}, plus
     * {@code " copy"} for a server-side copy and {@code " expect"} for one that waits for a
     * {@code 100 Continue} before sending its body.
     */
    List<String> takeLog() {
        List<String> taken = new ArrayList<>();
        for (String line; (line = log.poll()) != null; ) taken.add(line);
        return taken;
    }

    synchronized int pendingFaults() {
        return queue.size();
    }

    private synchronized Fault next() {
        Fault fault = always != null ? always : queue.isEmpty() ? PASS : queue.removeFirst();
        if (!(fault instanceof Fault.Pass)) faults.incrementAndGet();
        return fault;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) return;
            requests.incrementAndGet();
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                handle(client, in, head);
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // the client or the server went away: that is what this proxy is for
        }
    }

    private void handle(Socket client, InputStream in, String head) throws IOException, InterruptedException {
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        String target = requestLine.substring(0, requestLine.lastIndexOf(' '));
        String lower = head.toLowerCase(Locale.ROOT);
        log.add(target + (lower.contains("\r\nx-amz-copy-source:") ? " copy" : "")
                + (lower.contains("\r\nexpect: 100-continue") ? " expect" : ""));
        Fault fault = next();
        if (fault instanceof Fault.Drop) return;
        if (fault instanceof Fault.Status status) {
            answer(client, in, head, status);
            return;
        }
        if (fault instanceof Fault.Delay delay) Thread.sleep(delay.millis());
        if (fault instanceof Fault.Cut) {
            cut(head);
            return;
        }
        if (fault instanceof Fault.Deaf) {
            deaf(client, in, head);
            return;
        }
        if (serializeConditional && isConditionalWrite(head)) {
            synchronized (conditionalWrites) {
                forward(client, in, head);
            }
        } else {
            forward(client, in, head);
        }
    }

    private static boolean isConditionalWrite(String head) {
        String lower = head.toLowerCase(Locale.ROOT);
        return (lower.startsWith("put ") || lower.startsWith("post "))
                && (lower.contains("\r\nif-match:") || lower.contains("\r\nif-none-match:"));
    }

    private void forward(Socket client, InputStream in, String head) throws IOException {
        try (Socket server = new Socket()) {
            server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5000);
            OutputStream up = server.getOutputStream();
            up.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            threads.execute(() -> {
                try {
                    in.transferTo(up);
                } catch (IOException e) {
                    // one side closed
                }
            });
            server.getInputStream().transferTo(client.getOutputStream());
        }
    }

    /** Sends only the head upstream, then closes: the server meets the end of the stream where the body should be. */
    private void cut(String head) throws IOException {
        try (Socket server = new Socket()) {
            server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5000);
            server.getOutputStream().write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
            server.getOutputStream().flush();
            server.shutdownOutput();
            server.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the server gives up
        }
    }

    /**
     * Takes the whole request from the client (answering its {@code Expect: 100-continue} itself),
     * sends it to the server and discards the server's answer: the client's connection then
     * closes unanswered, as when a response is lost after the store acted.
     */
    private void deaf(Socket client, InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\nexpect: 100-continue")) {
            client.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
        }
        long length = headerLong(lower, "content-length");
        byte[] body = length > 0 ? in.readNBytes((int) length) : new byte[0];
        try (Socket server = new Socket()) {
            server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5000);
            OutputStream up = server.getOutputStream();
            up.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();
            server.getInputStream().transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Answers with an S3 error; reads the body first unless the client waits for 100-continue. */
    private static void answer(Socket client, InputStream in, String head, Fault.Status status) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (!lower.contains("\r\nexpect: 100-continue")) {
            long length = headerLong(lower, "content-length");
            if (length > 0) in.skipNBytes(length);
        }
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + status.s3Code()
                + "</Code><Message>injected fault</Message></Error>").getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 " + status.code() + " Injected\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static long headerLong(String lowerHead, String name) {
        for (String line : lowerHead.split("\r\n")) {
            if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1).trim());
        }
        return -1;
    }

    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty() || line.toLowerCase(Locale.ROOT).startsWith("connection:")) continue;
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    /** The request line and headers through the blank line, or null at a clean end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (head.size() > 64 * 1024) throw new IOException("request head too large");
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
