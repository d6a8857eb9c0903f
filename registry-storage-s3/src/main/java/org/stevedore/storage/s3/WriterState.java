package org.stevedore.storage.s3;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What a writer with an open multipart upload keeps in the bucket beside its file, written once
 * when the upload starts: its id. It lets {@code delete} (another node, after a crash) find and
 * abort an upload nobody will finish; aborting by id removes every part, so the parts need not be
 * listed here (rewriting this object after each part cost a PUT per part). The committed parts are
 * in {@link PendingState}. Files written by earlier versions also list parts; they are ignored.
 */
record WriterState(String uploadId) {
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

    static WriterState fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, WriterState.class);
    }
}
