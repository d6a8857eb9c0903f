import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class SoakClient implements Runnable {
    record Image(String digest, List<String> layers) {
    }

    final String name;
    final HttpClient http = client();
    final Map<String, Image> tags = new LinkedHashMap<>();
    final List<Image> untagged = new ArrayList<>();

    SoakClient(String name) {
        this.name = name;
    }

    @Override
    public void run() {
        while (Soak.RUNNING.get()) {
            try {
                step();
            } catch (Exception e) {
                Soak.error(name + ": " + e);
            }
        }
    }

    void step() throws Exception {
        double r = ThreadLocalRandom.current().nextDouble();
        if (r < 0.30 || tags.isEmpty()) {
            String tag = "t" + ThreadLocalRandom.current().nextInt(10);
            Image old = tags.put(tag, push(tag));
            if (old != null) untagged.add(old);
        } else if (r < 0.65) {
            pull(pick());
        } else if (r < 0.80) {
            HttpResponse<byte[]> list = send(http, "GET", "/v2/" + name + "/tags/list", null, null);
            String body = new String(list.body(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"tags\":\\[([^]]*)]").matcher(body);
            TreeSet<String> listed = new TreeSet<>();
            if (m.find() && !m.group(1).isEmpty()) for (String t : m.group(1).split(",")) listed.add(t.replace("\"", ""));
            expect(list, 200, "tags list");
            if (!listed.equals(new TreeSet<>(tags.keySet()))) Soak.error(name + ": tags " + listed + " != " + tags.keySet());
        } else if (r < 0.90) {
            Image image = tags.get(pick());
            expect(send(http, "HEAD", "/v2/" + name + "/manifests/" + image.digest(), null, null), 200, "HEAD manifest");
        } else {
            Image image = untagged.isEmpty() ? tags.remove(pick()) : untagged.remove(0);
            delete(image);
        }
    }

    String pick() {
        List<String> names = new ArrayList<>(tags.keySet());
        return names.get(ThreadLocalRandom.current().nextInt(names.size()));
    }

    Image push(String tag) throws Exception {
        List<String> layers = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] layer = random(1024 + ThreadLocalRandom.current().nextInt(127 * 1024));
            double how = ThreadLocalRandom.current().nextDouble();
            layers.add(how < 0.5 ? pushBlob(http, name, layer) : how < 0.8 ? postPut(layer) : chunked(layer));
            sizes.add(layer.length);
        }
        expect(send(http, "POST", "/v2/" + name + "/blobs/uploads/?mount=" + Soak.baseLayer + "&from=soak/base", null, null),
                201, "mount");
        byte[] config = ("{\"soak\":\"" + name + " " + System.nanoTime() + "\"}").getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(http, name, config);
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + Soak.MANIFEST + "\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[" + layer(Soak.baseLayer, 64 * 1024));
        for (int i = 0; i < 2; i++) manifest.append(',').append(layer(layers.get(i), sizes.get(i)));
        byte[] bytes = manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        expect(send(http, "PUT", "/v2/" + name + "/manifests/" + tag, bytes, Soak.MANIFEST), 201, "manifest PUT");
        return new Image(sha256(bytes), layers);
    }

    static String layer(String digest, int size) {
        return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    String postPut(byte[] layer) throws Exception {
        String location = start();
        String digest = sha256(layer);
        expect(send(http, "PUT", location + "?digest=" + digest, layer, "application/octet-stream"), 201, "upload PUT");
        return digest;
    }

    String chunked(byte[] layer) throws Exception {
        String location = start();
        int half = layer.length / 2;
        HttpResponse<byte[]> first = send(http, "PATCH", location, java.util.Arrays.copyOfRange(layer, 0, half),
                "application/octet-stream");
        expect(first, 202, "PATCH 1");
        location = first.headers().firstValue("Location").orElse(location);
        HttpResponse<byte[]> second = send(http, "PATCH", location, java.util.Arrays.copyOfRange(layer, half, layer.length),
                "application/octet-stream");
        expect(second, 202, "PATCH 2");
        location = second.headers().firstValue("Location").orElse(location);
        String digest = sha256(layer);
        expect(send(http, "PUT", location + "?digest=" + digest, null, null), 201, "chunked PUT");
        return digest;
    }

    String start() throws Exception {
        HttpResponse<byte[]> started = send(http, "POST", "/v2/" + name + "/blobs/uploads/", null, null);
        expect(started, 202, "upload POST");
        return started.headers().firstValue("Location").orElseThrow();
    }

    void pull(String tag) throws Exception {
        Image image = tags.get(tag);
        HttpResponse<byte[]> manifest = send(http, "GET", "/v2/" + name + "/manifests/" + tag, null, null);
        expect(manifest, 200, "manifest GET");
        if (!sha256(manifest.body()).equals(image.digest())) Soak.error(name + ":" + tag + " manifest digest differs");
        for (String layer : image.layers()) {
            HttpResponse<byte[]> blob = send(http, "GET", "/v2/" + name + "/blobs/" + layer, null, null);
            expect(blob, 200, "blob GET");
            if (!sha256(blob.body()).equals(layer)) Soak.error(name + " blob " + layer + " content differs");
        }
        expect(send(http, "HEAD", "/v2/" + name + "/blobs/" + Soak.baseLayer, null, null), 200, "base HEAD");
    }

    void delete(Image image) throws Exception {
        expect(send(http, "DELETE", "/v2/" + name + "/manifests/" + image.digest(), null, null), 202, "manifest DELETE");
        for (String layer : image.layers()) {
            expect(send(http, "DELETE", "/v2/" + name + "/blobs/" + layer, null, null), 202, "blob DELETE");
        }
        expect(send(http, "GET", "/v2/" + name + "/manifests/" + image.digest(), null, null), 404, "deleted manifest");
    }

    void expect(HttpResponse<byte[]> response, int status, String what) {
        if (response.statusCode() != status) {
            Soak.error(name + " " + what + ": " + response.statusCode() + " " + new String(response.body(),
                    StandardCharsets.UTF_8).strip());
        }
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static HttpResponse<byte[]> send(HttpClient http, String method, String path, byte[] body, String type)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(Soak.base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) request.header("Content-Type", type);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Soak.REQUESTS.incrementAndGet();
        Soak.BYTES.addAndGet((body == null ? 0 : body.length) + response.body().length);
        return response;
    }

    static String pushBlob(HttpClient http, String repository, byte[] content) throws Exception {
        String digest = sha256(content);
        HttpResponse<byte[]> response = send(http, "POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, content,
                "application/octet-stream");
        if (response.statusCode() != 201) Soak.error(repository + " monolithic push: " + response.statusCode());
        return digest;
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
