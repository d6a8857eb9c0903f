package org.stevedore.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line, as distribution's {@code log.formatter: json}: {@code time} (RFC 3339
 * with offset), {@code level} (lower case), {@code logger}, {@code msg}, then {@code log.fields},
 * the request id from the MDC as {@code http.request.id}, the event's key-value pairs (the access
 * line's fields) and {@code error} with the stack trace, if any. A key already written is not
 * written again, so every line is a valid object.
 */
final class JsonLayout extends LayoutBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private final Map<String, String> fields;
    private final ZoneId zone = ZoneId.systemDefault();

    JsonLayout(Map<String, String> fields) {
        this.fields = Map.copyOf(fields);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", TIME.format(OffsetDateTime.ofInstant(event.getInstant(), zone)));
        line.put("level", LogSetup.levelName(event.getLevel()));
        line.put("logger", event.getLoggerName());
        line.put("msg", event.getFormattedMessage());
        fields.forEach(line::putIfAbsent);
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((key, value) -> line.putIfAbsent(key.equals("request") ? "http.request.id" : key, value));
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) for (KeyValuePair pair : pairs) line.putIfAbsent(pair.key, pair.value);
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) line.putIfAbsent("error", ThrowableProxyUtil.asString(error));
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, Object> entry : line.entrySet()) {
                Object value = entry.getValue();
                if (value instanceof Long || value instanceof Integer) {
                    generator.writeNumberField(entry.getKey(), ((Number) value).longValue());
                } else {
                    generator.writeStringField(entry.getKey(), String.valueOf(value));
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }
}
