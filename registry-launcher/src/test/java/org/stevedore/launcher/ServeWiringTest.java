package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.Decision;
import org.stevedore.registry.Registry;
import org.stevedore.tls.PemTls;
import org.stevedore.tls.SelfSignedCa;
import picocli.CommandLine;

/**
 * {@code stevedore serve} from arguments and environment to a running registry, in process: the
 * real command tree and {@link RegistryServer#start}, without the wait for a signal.
 */
class ServeWiringTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<RunningServer> started = new ArrayList<>();
    private final List<AuthConfig> authRequested = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        started.forEach(RegistryServer::close);
    }

    private int run(Map<String, String> env, AuthFactory auth, String... args) {
        RegistryServer server = new RegistryServer(auth, S3StorageFactory.UNAVAILABLE);
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer));
            return 0;
        }, env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private AuthFactory allowAll() {
        return config -> {
            authRequested.add(config);
            return (credentials, needed) -> new Decision.Allowed(Optional.empty());
        };
    }

    private Registry registry() {
        assertEquals(1, started.size(), err.toString());
        return started.get(0).registry();
    }

    @Test
    void debianShippedConfigStartsUnchanged() throws Exception {
        Path root = temp.resolve("storage");
        assertEquals(0, run(Map.of(), allowAll(), "serve", "/etc/docker/registry/config.yml",
                "--addr", "127.0.0.1:0", "--root", root.toString()), err.toString());
        assertEquals(List.of(new AuthConfig.Htpasswd("basic-realm", Path.of("/etc/docker/registry"))), authRequested);
        URI base = registry().url();
        assertTrue(out.toString().startsWith("stevedore serving " + base + ", storage root " + root + ", auth htpasswd"),
                out.toString());

        HttpResponse<String> ping = send("GET", base.resolve("/v2/"));
        assertEquals(200, ping.statusCode());
        assertEquals(List.of("nosniff"), ping.headers().allValues("X-Content-Type-Options"));
        // delete.enabled: true in that file, so a DELETE gets past the switch to the manifest handler.
        HttpResponse<String> delete = send("DELETE", base.resolve("/v2/demo/app/manifests/" + DIGEST));
        assertTrue(!delete.body().contains("deletion is disabled"), delete.body());
        assertEquals(List.of("nosniff"), delete.headers().allValues("X-Content-Type-Options"), "on errors too");
        assertTrue(Files.isDirectory(root));
    }

    @Test
    void tutorialAuthVariablesRefuseToStartWithoutAnAuthModule() {
        Map<String, String> env = Map.of("REGISTRY_AUTH", "htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm",
                "REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd");
        assertEquals(1, run(env, AuthFactory.UNAVAILABLE, "serve", "--addr", "127.0.0.1:0",
                "--root", temp.resolve("d").toString()));
        assertTrue(err.toString().contains("stevedore serve: auth.htpasswd is configured, but this build of Stevedore"
                + " has no access controllers"), err.toString());
        assertEquals(List.of(), started);
    }

    @Test
    void s3RefusesToStartWithoutAnS3Module() {
        assertEquals(1, run(Map.of("REGISTRY_STORAGE", "s3", "REGISTRY_STORAGE_S3_BUCKET", "b"), allowAll(),
                "serve", "--addr", "127.0.0.1:0"));
        assertTrue(err.toString().contains("storage.s3 is configured, but this build of Stevedore has no S3 driver"),
                err.toString());
    }

    @Test
    void deleteIsOffByDefaultAndReadOnlyRefusesWrites() throws Exception {
        assertEquals(0, run(Map.of("REGISTRY_STORAGE", "inmemory", "REGISTRY_HTTP_ADDR", "127.0.0.1:0"), allowAll(),
                "serve"));
        HttpResponse<String> delete = send("DELETE", registry().url().resolve("/v2/demo/app/manifests/" + DIGEST));
        assertEquals(405, delete.statusCode(), delete.body());
        assertTrue(delete.body().contains("deletion is disabled"), delete.body());
        assertEquals(202, send("POST", registry().url().resolve("/v2/demo/app/blobs/uploads/")).statusCode());

        started.clear();
        assertEquals(0, run(Map.of("REGISTRY_STORAGE", "inmemory", "REGISTRY_HTTP_ADDR", "127.0.0.1:0",
                "REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"), allowAll(), "serve"));
        assertEquals(405, send("POST", registry().url().resolve("/v2/demo/app/blobs/uploads/")).statusCode());
    }

    @Test
    void flagsOverrideTheEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = Files.writeString(temp.resolve("config.yml"),
                "version: 0.1\nhttp:\n  addr: 127.0.0.1:1\nstorage:\n  filesystem:\n    rootdirectory: " + temp.resolve("file")
                        + "\n");
        assertEquals(0, run(Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:2",
                        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", temp.resolve("env").toString()), allowAll(),
                "serve", file.toString(), "--addr", "127.0.0.1:0"));
        assertNotEquals(1, registry().port());
        assertNotEquals(2, registry().port());
        assertEquals(200, send("GET", registry().url().resolve("/v2/")).statusCode());
        assertTrue(Files.isDirectory(temp.resolve("env")), "root from the environment");
        assertTrue(Files.notExists(temp.resolve("file")), "not the file's root");
    }

    @Test
    void selfSignedModeServesHttpsAndSaysWhereCaCrtGoes() throws Exception {
        Path root = temp.resolve("data");
        assertEquals(0, run(Map.of(), allowAll(), "serve", "--addr", "127.0.0.1:0", "--root", root.toString(),
                "--tls-self-signed", "127.0.0.1", "localhost"), err.toString());
        Path ca = temp.resolve("tls/ca.crt");
        int port = registry().port();
        assertTrue(out.toString().contains("clients must trust " + ca), out.toString());
        assertTrue(out.toString().contains("/etc/docker/certs.d/127.0.0.1:" + port + "/ca.crt"), out.toString());
        assertTrue(out.toString().contains("/etc/docker/certs.d/localhost:" + port + "/ca.crt"), out.toString());
        HttpClient trusting = https(PemTls.client(PemTls.readCertificates(ca)));
        assertEquals(200, trusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v2/")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        // A restart keeps the CA, so clients set up once keep working.
        String caPem = Files.readString(ca);
        started.forEach(RegistryServer::close);
        started.clear();
        assertEquals(0, run(Map.of(), allowAll(), "serve", "--addr", "127.0.0.1:0", "--root", root.toString(),
                "--tls-self-signed", "127.0.0.1"));
        assertEquals(caPem, Files.readString(ca));
        assertEquals(200, trusting.send(HttpRequest.newBuilder(registry().url().resolve("/v2/")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void tlsFilesAndClientCasFromTheEnvironment() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("127.0.0.1"));
        Path dir = temp.resolve("pki");
        ca.writeTo(dir);
        assertEquals(0, run(Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", dir.resolve("server.crt").toString(),
                "REGISTRY_HTTP_TLS_KEY", dir.resolve("server.key").toString(),
                "REGISTRY_HTTP_TLS_CLIENTCAS", "[" + dir.resolve("ca.crt") + "]",
                "REGISTRY_HTTP_ADDR", "127.0.0.1:0", "REGISTRY_STORAGE", "inmemory"), allowAll(), "serve"), err.toString());
        URI base = registry().url().resolve("/v2/");
        assertEquals("https", base.getScheme());
        assertThrows(IOException.class, () -> https(ca.clientContext()).send(HttpRequest.newBuilder(base).build(),
                HttpResponse.BodyHandlers.ofString()), "no client certificate");
        assertEquals(200, https(ca.clientContextWithCertificate("ci")).send(HttpRequest.newBuilder(base).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void unreadableCertificateStopsStartupNamingIt() {
        Path missing = temp.resolve("missing.crt");
        assertEquals(1, run(Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", missing.toString(),
                "REGISTRY_HTTP_TLS_KEY", missing.toString()), allowAll(), "serve", "--addr", "127.0.0.1:0",
                "--root", temp.resolve("d").toString()));
        assertTrue(err.toString().contains("stevedore serve: http.tls: cannot read " + missing), err.toString());
    }

    private HttpResponse<String> send(String method, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient https(SSLContext context) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }
}
