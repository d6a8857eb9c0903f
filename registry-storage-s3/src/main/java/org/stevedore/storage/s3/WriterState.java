package org.stevedore.storage.s3;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What a writer with an open multipart upload keeps in the bucket beside its file, written once
 * when the upload starts: its id. It lets {@code delete} (another node, after a crash) find and
 * abort an upload nobody will finish; aborting by id removes every part, so the parts need not be
 * listed here (rewriting this object after each part cost a PUT per part). The committed parts are
 * in {@link PendingState}. Files written by earlier versions also list parts; they are ignored.
 *
 * @param key the upload's key when it is not the file beside which this state lies: a hidden
 *     write ({@link S3HiddenWriter}) keeps its state beside its staging path and uploads to its
 *     target; null (and left out of the JSON) for an append writer's upload of the file itself
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WriterState(String uploadId, String key) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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

    /** The key of the upload, given the key of this state object. */
    String uploadKey(String stateKey) {
        return key != null ? key : S3Keys.fileOfWriterState(stateKey);
    }

    static WriterState fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, WriterState.class);
    }
}
