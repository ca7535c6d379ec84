package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How layer files reach the disk. Both modes write the same bytes; {@link #DIRECT}, the
 * default, costs the flush thread far less CPU per byte ({@link DirectOutput} says why).
 */
enum WriteMode {
    /**
     * Direct I/O where the file system takes it, else {@link #BUFFERED}, with one warning per
     * process: a file system that refuses it once refuses it for every file, and a warning per
     * layer would only repeat itself.
     */
    DIRECT {
        @Override
        ChecksummingOutput open(Path file) throws IOException {
            try {
                return DirectOutput.open(file);
            } catch (DirectIo.Refused e) {
                return fallBack(file, e);
            }
        }
    },
    /** Through the page cache. */
    BUFFERED {
        @Override
        ChecksummingOutput open(Path file) throws IOException {
            return BufferedOutput.open(file);
        }
    },
    /**
     * {@link #DIRECT} as on a file system that refuses direct I/O, for tests: every file system
     * here may take it, so this is how the fallback gets exercised.
     */
    DIRECT_AS_IF_REFUSED {
        @Override
        ChecksummingOutput open(Path file) throws IOException {
            return fallBack(file, new DirectIo.Refused(file, new IOException("Invalid argument (simulated)")));
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(WriteMode.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** Creates (or truncates) {@code file} to write a layer into from the start. */
    abstract ChecksummingOutput open(Path file) throws IOException;

    /** Whether this process has warned that it writes layers through the page cache. */
    static boolean warnedOfFallback() {
        return WARNED.get();
    }

    private static ChecksummingOutput fallBack(Path file, DirectIo.Refused refusal) throws IOException {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("{}; writing layer files through the page cache instead, at more CPU per byte"
                    + " (said once, for every layer file this process writes)", refusal.getMessage());
        }
        return BufferedOutput.open(file);
    }
}
