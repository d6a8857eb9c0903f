import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A registry that does as little as a registry can, for benchmarks only: it answers every request
 * at once, writes an upload's bytes to a file in the page cache (no hash, no sync, no check) and
 * serves them back by digest. What a client takes against it is the client's own floor: no server
 * can make the client faster than this. Loopback only, no limits, nothing survives a restart.
 *
 * <p>{@code java bench/sink/NullRegistry.java PORT DIR}
 */
public final class NullRegistry {
    private static final Map<String, byte[]> MANIFESTS = new ConcurrentHashMap<>();
    private static final Map<String, String> MANIFEST_TYPES = new ConcurrentHashMap<>();
    private static Path dir;

    public static void main(String[] args) throws IOException {
        dir = Files.createDirectories(Path.of(args[1]));
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", NullRegistry::handle);
        server.start();
    }

    private static void handle(HttpExchange x) throws IOException {
        try (x) {
            respond(x);
        } catch (IOException | RuntimeException e) {
            System.err.println(x.getRequestMethod() + " " + x.getRequestURI() + ": " + e);
            throw e;
        }
    }

    private static void respond(HttpExchange x) throws IOException {
        String method = x.getRequestMethod();
        String path = x.getRequestURI().getPath();
        Headers h = x.getResponseHeaders();
        h.set("Docker-Distribution-Api-Version", "registry/2.0");
        if (path.equals("/v2/")) {
            x.sendResponseHeaders(200, -1);
        } else if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
            String id = UUID.randomUUID().toString();
            Files.createFile(dir.resolve(id));
            h.set("Location", path + id);
            h.set("Range", "0-0");
            h.set("Docker-Upload-UUID", id);
            x.sendResponseHeaders(202, -1);
        } else if (path.contains("/blobs/uploads/") && (method.equals("PATCH") || method.equals("PUT"))) {
            Path upload = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
            long size = append(x.getRequestBody(), upload);
            if (method.equals("PATCH")) {
                h.set("Location", path);
                h.set("Range", "0-" + (size - 1));
                x.sendResponseHeaders(202, -1);
            } else {
                String query = x.getRequestURI().getQuery();
                String digest = query.substring(query.indexOf("digest=") + 7).split("&")[0];
                Files.move(upload, dir.resolve(digest));
                h.set("Location", path.substring(0, path.indexOf("/uploads/")) + "/" + digest);
                h.set("Docker-Content-Digest", digest);
                x.sendResponseHeaders(201, -1);
            }
        } else if (path.contains("/manifests/") && method.equals("PUT")) {
            byte[] body = x.getRequestBody().readAllBytes();
            String digest = sha256(body);
            MANIFESTS.put(path, body);
            MANIFESTS.put(path.substring(0, path.lastIndexOf('/') + 1) + digest, body);
            MANIFEST_TYPES.put(digest, x.getRequestHeaders().getFirst("Content-Type"));
            h.set("Docker-Content-Digest", digest);
            h.set("Location", path);
            x.sendResponseHeaders(201, -1);
        } else if (path.contains("/manifests/") && MANIFESTS.containsKey(path)) {
            byte[] body = MANIFESTS.get(path);
            String digest = sha256(body);
            h.set("Content-Type", MANIFEST_TYPES.get(digest));
            h.set("Docker-Content-Digest", digest);
            sendBytes(x, method, body);
        } else if (path.contains("/blobs/sha256:") && Files.exists(dir.resolve(path.substring(path.lastIndexOf('/') + 1)))) {
            Path blob = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
            h.set("Content-Type", "application/octet-stream");
            h.set("Docker-Content-Digest", blob.getFileName().toString());
            if (method.equals("HEAD")) {
                h.set("Content-Length", Long.toString(Files.size(blob)));
                x.sendResponseHeaders(200, -1);
            } else {
                x.sendResponseHeaders(200, Files.size(blob));
                try (OutputStream out = x.getResponseBody(); InputStream in = Files.newInputStream(blob)) {
                    in.transferTo(out);
                }
            }
        } else {
            x.getRequestBody().transferTo(OutputStream.nullOutputStream());
            x.sendResponseHeaders(404, -1);
        }
    }

    private static long append(InputStream body, Path upload) throws IOException {
        try (OutputStream out = Files.newOutputStream(upload, StandardOpenOption.APPEND)) {
            body.transferTo(out);
        }
        return Files.size(upload);
    }

    private static void sendBytes(HttpExchange x, String method, byte[] body) throws IOException {
        if (method.equals("HEAD")) {
            x.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            x.sendResponseHeaders(200, -1);
            return;
        }
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
