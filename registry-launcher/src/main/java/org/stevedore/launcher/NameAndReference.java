package org.stevedore.launcher;

import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code NAME:TAG} or {@code NAME@DIGEST} from the command line, checked as the registry checks them. */
record NameAndReference(String name, String reference) {

    static NameAndReference parse(CommandLine commandLine, String text, boolean digestAllowed) {
        int at = text.indexOf('@');
        int colon = text.lastIndexOf(':');
        int split = at >= 0 ? at : colon > text.lastIndexOf('/') ? colon : -1;
        if (split <= 0 || (at >= 0 && !digestAllowed)) {
            throw new ParameterException(commandLine, "'" + text + "' is not "
                    + (digestAllowed ? "NAME:TAG or NAME@DIGEST" : "NAME:TAG"));
        }
        String name = text.substring(0, split);
        String reference = text.substring(split + 1);
        try {
            RepositoryName.of(name);
            Reference.parse(reference);
        } catch (RuntimeException e) {
            throw new ParameterException(commandLine, "'" + text + "': " + e.getMessage());
        }
        return new NameAndReference(name, reference);
    }
}
