package org.stevedore.storage.s3;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The committed state of a file whose multipart upload is still open: what its placeholder object
 * holds (see {@link PendingFiles}). The file's bytes are the {@code parts} of upload
 * {@code uploadId}, in order, then {@code tailSize} bytes in the tail object named
 * {@link #tailName()}; {@code size} is their sum.
 *
 * <p>{@code tailId} makes each commit's tail key unique ({@code <generation>-<random>}), so a
 * writer that loses the commit to another never overwrites the tail the winner's state names.
 * States written before it existed name their tail by {@code tailGeneration} alone.
 */
record PendingState(String uploadId, List<WriterState.Part> parts, long tailGeneration, long tailSize, long size,
                    String tailId) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    PendingState {
        parts = List.copyOf(parts);
    }

    /** The last part of the tail's key (see {@link S3Keys#tail}). */
    @JsonIgnore
    String tailName() {
        return tailId != null ? tailId : Long.toString(tailGeneration);
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
