package org.stevedore.ui.pages;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page templates (JMustache, from the classpath), compiled once. Every {@code {{value}}} is
 * HTML-escaped: the engine's default, never turned off here, and no template uses the unescaped
 * {@code {{{…}}}} form, so names, tags and labels from pushes cannot inject markup.
 */
final class Templates {
    private static final String ROOT = "/org/stevedore/ui/templates/";
    private final Mustache.Compiler compiler;
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();

    Templates() {
        this.compiler = Mustache.compiler().escapeHTML(true).nullValue("").emptyStringIsFalse(true)
                .withLoader(name -> new StringReader(read(name)));
    }

    String render(String name, Map<String, Object> model) {
        return compiled.computeIfAbsent(name, n -> compiler.compile(read(n))).execute(model);
    }

    private static String read(String name) {
        try (InputStream in = Templates.class.getResourceAsStream(ROOT + name + ".mustache")) {
            if (in == null) throw new IllegalStateException("no template " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
