package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.page.KeyVersion;
import org.slf4j.LoggerFactory;

/** Where the file system refuses direct I/O, layers are written through the page cache, said once. */
class DirectIoFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedFileSystemGetsBufferedFilesAndOneWarningPerProcess() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(WriteMode.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            // Other tests in this JVM may have fallen back already, and then this one must stay quiet.
            boolean warnedBefore = WriteMode.warnedOfFallback();
            List<KeyVersion> versions = LayerTestData.mixed(new Random(30), 40, 5);
            for (int i = 0; i < 3; i++) {
                assertFalse(LayerWriteModesTest.writesDirectly(WriteMode.DIRECT_AS_IF_REFUSED, dir.resolve("probe" + i)));
                LayerWriteModesTest.assertReadsBack(write(dir.resolve("layers" + i), WriteMode.DIRECT_AS_IF_REFUSED, versions),
                        versions);
            }
            List<ILoggingEvent> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(warnedBefore ? 0 : 1, warnings.size(), warnings.toString());
            assertTrue(WriteMode.warnedOfFallback());
            if (!warnedBefore) {
                assertTrue(warnings.get(0).getFormattedMessage().contains("no direct I/O here"), warnings.toString());
            }
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void onlyInvalidArgumentIsTakenForARefusal() {
        Path file = dir.resolve("layer");
        assertInstanceOf(DirectIo.Refused.class, DirectIo.Refused.ifRefusal(file, new IOException("Invalid argument")));
        assertInstanceOf(DirectIo.Refused.class,
                DirectIo.Refused.ifRefusal(file, new FileSystemException(file.toString(), null, "Invalid argument")));
        IOException full = new IOException("No space left on device");
        assertSame(full, DirectIo.Refused.ifRefusal(file, full));
    }

    @Test
    void onTmpfsTheDefaultModeWritesTheSameBytesWhicheverWayItGoes() throws IOException {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm (tmpfs) here: skipped");
        Path tmpfs = Files.createTempDirectory(shm, "layer-test");
        try {
            List<KeyVersion> versions = LayerTestData.mixed(new Random(31), 200, 8);
            Path direct = write(tmpfs, WriteMode.DIRECT, versions);
            Path buffered = write(dir, WriteMode.BUFFERED, versions);
            assertArrayEquals(LayerWriteModesTest.unsalted(buffered), LayerWriteModesTest.unsalted(direct));
        } finally {
            try (Stream<Path> tree = Files.walk(tmpfs)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Writes the layer through a store on {@code root} in {@code mode}; returns its file. */
    private static Path write(Path root, WriteMode mode, List<KeyVersion> versions) {
        LocalLayerStore store = new LocalLayerStore(root, mode);
        LayerTestData.writeLayer(store, LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE,
                LayerStoreContractTest.WHOLE, versions);
        return store.layerFile(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, LayerStoreContractTest.WHOLE);
    }
}
