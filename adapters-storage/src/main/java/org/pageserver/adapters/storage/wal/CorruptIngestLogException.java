package org.pageserver.adapters.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Damage inside the log rather than at its end: batches after it may have been acknowledged, so
 * start-up stops instead of silently dropping them.
 */
public class CorruptIngestLogException extends UncheckedIOException {

    CorruptIngestLogException(Path segment, long offset, String reason) {
        super("ingest log segment " + segment + " is damaged at byte " + offset + " (" + reason + "), which"
                + " a crash cannot leave, and batches after it may have been acknowledged: refusing to start"
                + " rather than drop them. Move the segment files away to start without their batches.",
                new IOException(reason));
    }
}
