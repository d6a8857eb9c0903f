package org.stevedore.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/**
 * distribution's event envelope ({@code notifications/event.go}): {@code {"events":[event]}}, one
 * event per POST as distribution's HTTP sink sends them. Fields tagged {@code omitempty} in
 * distribution are left out when empty; {@code request.id}, {@code method} and {@code useragent}
 * and the {@code actor} object are always present, as Go's encoder writes them.
 */
final class EventEnvelope {
    /** The envelope's content type. */
    static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventEnvelope() {
    }

    /**
     * @param baseUrl the registry's external URL for {@code target.url}, if known
     * @param source  distribution's {@code source}: this registry's address and instance id
     */
    static byte[] of(PendingEvent event, EventTarget target, Optional<URI> baseUrl, Source source) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode json = root.putArray("events").addObject();
        json.put("id", UUID.randomUUID().toString());
        json.put("timestamp", event.timestamp().toString());
        json.put("action", event.action().wireName());

        ObjectNode t = json.putObject("target");
        target.mediaType().ifPresent(type -> t.put("mediaType", type));
        target.size().ifPresent(size -> {
            if (size > 0) t.put("size", size);
        });
        event.digest().ifPresent(digest -> t.put("digest", digest.toString()));
        target.size().ifPresent(size -> {
            if (size > 0) t.put("length", size); // distribution's older name for size, kept for old consumers
        });
        t.put("repository", event.repository().value());
        event.fromRepository().ifPresent(from -> t.put("fromRepository", from));
        url(event, baseUrl).ifPresent(url -> t.put("url", url));
        event.tag().ifPresent(tag -> t.put("tag", tag));
        if (!target.references().isEmpty()) t.putArray("references").addAll(target.references());

        ObjectNode request = json.putObject("request");
        PendingEvent.RequestRecord record = event.request();
        request.put("id", record.id());
        if (!record.addr().isEmpty()) request.put("addr", record.addr());
        if (!record.host().isEmpty()) request.put("host", record.host());
        request.put("method", record.method());
        request.put("useragent", record.userAgent());

        ObjectNode actor = json.putObject("actor");
        event.actor().ifPresent(name -> actor.put("name", name));

        ObjectNode sourceJson = json.putObject("source");
        if (!source.addr().isEmpty()) sourceJson.put("addr", source.addr());
        sourceJson.put("instanceID", source.instanceId());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree always serialises", e);
        }
    }

    /** distribution's URL builder: the content by digest, under the registry's external URL. */
    private static Optional<String> url(PendingEvent event, Optional<URI> baseUrl) {
        if (event.action() == Action.DELETE || event.digest().isEmpty() || baseUrl.isEmpty()) return Optional.empty();
        String base = baseUrl.get().toString().replaceAll("/+$", "");
        String kind = event.content() == PendingEvent.Content.MANIFEST ? "/manifests/" : "/blobs/";
        return Optional.of(base + "/v2/" + event.repository().value() + kind + event.digest().get());
    }

    /**
     * distribution's {@code SourceRecord}.
     *
     * @param addr       this registry's host name and port
     * @param instanceId changes with every start
     */
    record Source(String addr, String instanceId) {
    }
}
