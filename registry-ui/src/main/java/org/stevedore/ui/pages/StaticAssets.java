package org.stevedore.ui.pages;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The stylesheet and script, read from the classpath once and served under names that carry a
 * hash of their content ({@code ui.3f2a9c1e.css}): a changed file gets a new name, so browsers
 * may cache each name for a year without ever showing a stale one.
 */
public final class StaticAssets {
    public static final String PREFIX = "/ui/static/";
    private static final String ROOT = "/org/stevedore/ui/static/";

    private record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> byPath;
    private final String css;
    private final String js;

    public StaticAssets() {
        Asset style = new Asset(read("ui.css"), "text/css; charset=utf-8");
        Asset script = new Asset(read("ui.js"), "text/javascript; charset=utf-8");
        this.css = PREFIX + "ui." + hash(style.bytes) + ".css";
        this.js = PREFIX + "ui." + hash(script.bytes) + ".js";
        this.byPath = Map.of(css, style, js, script);
    }

    /** The hashed path of the stylesheet, for pages. */
    public String css() {
        return css;
    }

    /** The hashed path of the script, for pages. */
    public String js() {
        return js;
    }

    /** Serves {@code path} if it names an asset; false when it does not (the caller answers 404). */
    boolean serve(HttpServerExchange exchange, String path) {
        Optional<Asset> asset = Optional.ofNullable(byPath.get(path));
        if (asset.isEmpty()) return false;
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, asset.get().contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=31536000, immutable");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, asset.get().bytes.length);
        if (exchange.getRequestMethod().equalToString("HEAD")) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(asset.get().bytes));
        }
        return true;
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException("no static asset " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
