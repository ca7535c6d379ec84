package org.pageserver.domain.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final String FILE = "/srv/pageserver/tenants/ab/timelines/cd/0000000001000001.ingest";

    @Test
    void aFileFailureIsDescribedByItsKindAndReasonWithoutItsPath() {
        assertEquals("NoSuchFileException", Failures.describe(
                new UncheckedIOException("opening layer file " + FILE, new NoSuchFileException(FILE))));
        assertEquals("AccessDeniedException: Permission denied", Failures.describe(
                new AccessDeniedException(FILE, null, "Permission denied")));
    }

    @Test
    void theSystemsReasonIsKeptWhenItNamesNoPath() {
        assertEquals("IOException: No space left on device", Failures.describe(
                new UncheckedIOException("writing ingest file " + FILE, new IOException("No space left on device"))));
        assertEquals("IOException: Input/output error", Failures.describe(new IOException("Input/output error")));
        assertEquals("ClosedChannelException", Failures.describe(
                new UncheckedIOException("writing ingest file " + FILE, new ClosedChannelException())));
    }

    @Test
    void aMessageThatMayNameAPathIsLeftOut() {
        assertEquals("IllegalStateException", Failures.describe(new IllegalStateException("cannot open " + FILE)));
        assertEquals("IOException", Failures.describe(new IOException("'" + FILE + "' is busy")));
        assertEquals("IOException", Failures.describe(new IOException("cannot open ../tenants/ab")));
        assertEquals("IllegalStateException: layer 0/1000 of timeline ab/cd is missing",
                Failures.describe(new IllegalStateException("layer 0/1000 of timeline ab/cd is missing")));
    }

    @Test
    void aMessageWrittenForClientsIsShownWhole() {
        PageserverException written = PageserverException.unavailable("timeline ab/cd is stopping");
        assertEquals("timeline ab/cd is stopping", Failures.describe(written));
        assertEquals("timeline ab/cd is stopping", Failures.describe(new RuntimeException("at " + FILE, written)));
    }
}
