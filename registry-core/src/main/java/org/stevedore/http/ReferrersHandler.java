package org.stevedore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.MediaType;
import org.stevedore.service.PageRequest;
import org.stevedore.service.ReferrersService;

/**
 * {@code GET /v2/<name>/referrers/<digest>[?artifactType=…]}: an OCI image index of the
 * manifests whose subject is the digest (distribution spec 1.1, "Listing Referrers"). A filter
 * is applied here and announced with {@code OCI-Filters-Applied}; a long list is paged with
 * {@code n}, {@code last} and a {@code Link} header, as tag lists are.
 */
final class ReferrersHandler {
    static final HttpString FILTERS_APPLIED = new HttpString("OCI-Filters-Applied");
    /** Made on first use, not when the handler chain is built: an ObjectMapper costs a cold JVM ~300 classes. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private final ReferrersService referrers;

    ReferrersHandler(ReferrersService referrers) {
        this.referrers = referrers;
    }

    void handle(HttpServerExchange exchange, V2Route.Referrers route) throws IOException {
        Optional<String> artifactType = UploadHandler.query(exchange, "artifactType").filter(s -> !s.isEmpty());
        PageRequest request = Pagination.request(exchange);
        ReferrersService.ReferrersPage page = referrers.list(route.name(), route.digest(), artifactType, request);
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Descriptor d : page.manifests()) manifests.add(json(d));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaType.OCI_INDEX.value());
        index.put("manifests", manifests);
        var headers = exchange.getResponseHeaders();
        if (artifactType.isPresent()) headers.put(FILTERS_APPLIED, "artifactType");
        if (page.next().isPresent()) {
            StringBuilder link = new StringBuilder("</v2/").append(route.name()).append("/referrers/")
                    .append(route.digest()).append("?last=").append(encode(page.next().get()));
            if (request.n().isPresent()) link.append("&n=").append(request.n().getAsInt());
            artifactType.ifPresent(type -> link.append("&artifactType=").append(encode(type)));
            headers.put(ApiHeaders.LINK, link.append(">; rel=\"next\"").toString());
        }
        byte[] body = Json.MAPPER.writeValueAsBytes(index);
        headers.put(Headers.CONTENT_TYPE, MediaType.OCI_INDEX.value());
        headers.put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static Map<String, Object> json(Descriptor d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mediaType", d.mediaType().value());
        out.put("digest", d.digest().toString());
        out.put("size", d.size());
        d.artifactType().ifPresent(type -> out.put("artifactType", type));
        if (!d.annotations().isEmpty()) out.put("annotations", d.annotations());
        return out;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
