package org.stevedore.storage.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * What a writer with an open multipart upload keeps in the bucket beside its file: the upload id
 * and the parts so far with their ETags, sizes and checksums. It lets {@code delete} (another node,
 * after a crash) find and abort an upload nobody will finish, and shows an operator what is in flight.
 */
record WriterState(String uploadId, List<Part> parts) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    WriterState {
        parts = List.copyOf(parts);
    }

    /** One uploaded part; {@code crc32} is empty when the store gave none. */
    record Part(int number, String etag, long size, String crc32) {
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a record of strings always serialises", e);
        }
    }

    static WriterState fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, WriterState.class);
    }
}
