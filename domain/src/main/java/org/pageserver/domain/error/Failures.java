package org.pageserver.domain.error;

import java.nio.file.FileSystemException;
import java.util.regex.Pattern;

/**
 * What a client may be told of a failure it did not cause. Exceptions from files and databases
 * name paths on the node (an {@code IOException} about a file carries its absolute path); those go
 * to the log with the whole exception, and a client gets the kind of failure and the system's
 * reason, never a path. A message written for clients ({@link PageserverException}) is shown whole.
 */
public final class Failures {
    /**
     * A path as messages name them: a '/' that starts a word ("/srv/x", "'/x'", "../x"). The stores
     * name their files by absolute paths; "0/16B5A50" (an LSN) and "Input/output error" pass.
     */
    private static final Pattern PATH = Pattern.compile("(^|\\W)/");

    private Failures() {
    }

    /**
     * The failure in a few words without a path: the message of the first {@link PageserverException}
     * in its causes, or else its root cause's kind ({@code ClosedChannelException}) and the system's
     * reason ({@code IOException: No space left on device}) when that names no path.
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        // Bounded: a chain of causes may loop.
        for (int depth = 0; depth < 32; depth++) {
            if (root instanceof PageserverException written) {
                return written.getMessage();
            }
            if (root.getCause() == null) {
                break;
            }
            root = root.getCause();
        }
        String reason = root instanceof FileSystemException onFile ? onFile.getReason() : root.getMessage();
        String kind = root.getClass().getSimpleName();
        return reason == null || reason.isBlank() || PATH.matcher(reason).find() ? kind : kind + ": " + reason;
    }
}
