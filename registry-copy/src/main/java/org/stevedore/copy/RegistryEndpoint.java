package org.stevedore.copy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;

/** A repository of a registry, as a copy's source or destination, over the distribution API. */
final class RegistryEndpoint implements ImageSource, ImageDestination {
    private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private final ImageLocation.Registry location;
    private final RegistryApi api;
    private final String pullScope;
    private final String pushScope;

    RegistryEndpoint(ImageLocation.Registry location, RegistryApi api) {
        this.location = location;
        this.api = api;
        this.pullScope = "repository:" + location.repository() + ":pull";
        this.pushScope = "repository:" + location.repository() + ":pull,push";
    }

    @Override
    public Optional<ImageLocation.Registry> registry() {
        return Optional.of(location);
    }

    String host() {
        return location.host();
    }

    @Override
    public Fetched manifest(String reference) throws IOException {
        HttpResponse<byte[]> response = api.send(b -> b.uri(path("/manifests/" + reference)).header("Accept", ACCEPT).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray(), pullScope);
        expect(response, 200, "GET manifest " + reference);
        Digest digest = ManifestParser.sha256(response.body());
        if (reference.contains(":") && !digest.toString().equals(reference)) {
            throw new CopyException(location + ": manifest " + reference + " arrived with digest " + digest);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.isEmpty() || type.equals("application/json")) type = ManifestParser.detectMediaType(response.body()).value();
        return new Fetched(response.body(), type, digest);
    }

    @Override
    public InputStream blob(Digest digest) throws IOException {
        HttpResponse<InputStream> response = api.send(b -> b.uri(path("/blobs/" + digest)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream(), pullScope);
        if (response.statusCode() != 200) {
            response.body().close();
            throw new CopyException(location + ": GET blob " + digest + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The referrers API (OCI distribution 1.1); a registry without it (404) has none to offer. */
    @Override
    public java.util.List<Digest> referrers(Digest digest) throws IOException {
        HttpResponse<byte[]> response = api.send(b -> b.uri(path("/referrers/" + digest))
                .header("Accept", "application/vnd.oci.image.index.v1+json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray(), pullScope);
        if (response.statusCode() == 404) return java.util.List.of();
        expect(response, 200, "GET referrers of " + digest);
        java.util.List<Digest> digests = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode entry
                : new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("manifests")) {
            digests.add(Digest.parse(entry.path("digest").asText()));
        }
        return digests;
    }

    @Override
    public boolean hasBlob(Digest digest) throws IOException {
        HttpResponse<Void> response = api.send(b -> b.uri(path("/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding(), pushScope);
        return response.statusCode() == 200;
    }

    @Override
    public boolean mount(Digest digest, ImageLocation.Registry from) throws IOException {
        String scope = pushScope + " repository:" + from.repository() + ":pull";
        HttpResponse<Void> response = api.send(b -> b.uri(path("/blobs/uploads/?mount=" + digest + "&from=" + from.repository()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding(), scope);
        return response.statusCode() == 201;
    }

    @Override
    public void putBlob(Digest digest, long size, InputStream content) throws IOException {
        HttpResponse<Void> started = api.send(b -> b.uri(path("/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding(), pushScope);
        expect(started, 202, "POST upload");
        String location = started.headers().firstValue("Location")
                .orElseThrow(() -> new CopyException(this.location + ": upload started without a Location"));
        URI target = path("/").resolve(location);
        URI put = URI.create(target + (target.getQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> content), size);
        HttpResponse<Void> done = api.send(b -> b.uri(put).header("Content-Type", "application/octet-stream").PUT(body)
                .build(), HttpResponse.BodyHandlers.discarding(), pushScope, false);
        expect(done, 201, "PUT blob " + digest);
    }

    @Override
    public void putManifest(String reference, Fetched manifest) throws IOException {
        HttpResponse<Void> response = api.send(b -> b.uri(path("/manifests/" + reference))
                .header("Content-Type", manifest.mediaType()).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes()))
                .build(), HttpResponse.BodyHandlers.discarding(), pushScope);
        expect(response, 201, "PUT manifest " + reference);
    }

    private URI path(String rest) {
        return api.resolve("/v2/" + location.repository() + rest);
    }

    private void expect(HttpResponse<?> response, int status, String what) throws CopyException {
        if (response.statusCode() != status) {
            String body = response.body() instanceof byte[] bytes ? ": " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : "";
            throw new CopyException(location + ": " + what + " answered " + response.statusCode()
                    + (body.length() > 300 ? body.substring(0, 300) : body));
        }
    }

    /** Nothing to release: each request and file is closed where it is used. */
    @Override
    public void close() {
    }
}
