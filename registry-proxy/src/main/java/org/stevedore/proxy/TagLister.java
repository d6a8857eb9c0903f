package org.stevedore.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.model.RepositoryName;

/**
 * Lists a repository's tags at the upstream, following its {@code Link: <...>; rel="next"} pages,
 * as distribution's proxy does; any failure answers empty so that storage lists what it cached.
 */
final class TagLister {
    private static final Logger LOG = LoggerFactory.getLogger(TagLister.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<[^>?]*\\?([^>]*)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_PAGES = 100;
    private static final int MAX_PAGE_BYTES = 8 * 1024 * 1024;

    private TagLister() {
    }

    static Optional<List<String>> list(UpstreamClient client, RepositoryName name) {
        String remote = client.upstream().remoteName(name);
        List<String> tags = new ArrayList<>();
        String path = "tags/list";
        try {
            for (int page = 0; page < MAX_PAGES; page++) {
                HttpResponse<InputStream> response = client.send("GET", remote, path, "application/json");
                JsonNode body;
                try (InputStream in = response.body()) {
                    if (response.statusCode() != 200) return Optional.empty();
                    byte[] bytes = in.readNBytes(MAX_PAGE_BYTES + 1);
                    if (bytes.length > MAX_PAGE_BYTES) return Optional.empty();
                    body = JSON.readTree(bytes);
                }
                for (JsonNode tag : body.path("tags")) if (tag.isTextual()) tags.add(tag.asText());
                Optional<String> link = response.headers().firstValue("Link");
                Matcher next = NEXT.matcher(link.orElse(""));
                if (!next.find()) return Optional.of(tags);
                path = "tags/list?" + next.group(1);
            }
            return Optional.of(tags);
        } catch (IOException | UpstreamUnavailableException | IllegalArgumentException e) {
            LOG.info("listing tags of {} from storage: upstream {}: {}", name, client.upstream().remoteUrl(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
