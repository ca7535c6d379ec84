package org.pageserver.adapters.s3;

import java.util.List;

/** The message of a deletion that failed for some keys, naming each: the caller retries those. */
final class DeleteFailures {
    private DeleteFailures() {
    }

    static String message(List<String> failures, int requested) {
        return "could not delete " + failures.size() + " of " + requested + " objects (the others are deleted): "
                + String.join(", ", failures);
    }
}
