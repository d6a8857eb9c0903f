package org.stevedore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/** The {@code --json} output of commands: one indented JSON document. */
final class CommandOutput {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CommandOutput() {
    }

    static void json(PrintWriter out, Object document) throws JsonProcessingException {
        out.println(JSON.writeValueAsString(document));
        out.flush();
    }
}
