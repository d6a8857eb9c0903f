package org.stevedore.storage.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The committed state of a file whose multipart upload is still open: what its placeholder object
 * holds (see {@link PendingFiles}). The file's bytes are the {@code parts} of upload
 * {@code uploadId}, in order, then {@code tailSize} bytes in the tail object of generation
 * {@code tailGeneration}; {@code size} is their sum.
 */
record PendingState(String uploadId, List<WriterState.Part> parts, long tailGeneration, long tailSize, long size) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    PendingState {
        parts = List.copyOf(parts);
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a record of strings and numbers always serialises", e);
        }
    }

    static PendingState fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, PendingState.class);
    }
}
