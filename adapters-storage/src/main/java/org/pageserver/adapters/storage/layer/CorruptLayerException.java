package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A layer file that is not what its writer wrote: truncated, bit-flipped or not a layer at all. */
public class CorruptLayerException extends UncheckedIOException {

    CorruptLayerException(Path file, String reason) {
        super("layer file " + file + " is corrupt: " + reason, new IOException(reason));
    }
}
