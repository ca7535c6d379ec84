package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LayerWriter;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layer files under {@code <root>/tenants/<tenant>/timelines/<timeline>/<layer file name>}: delta
 * layers in the format of {@link LayerFormat}, image layers in that of {@link ImageFormat}. Beside
 * them, the ingest files of layers still in memory ({@link LocalIngestFile}) and the files that
 * maintenance is writing, under temporary names ({@link UnpublishedLayerFile}). Ids are validated
 * hex, so they are safe path parts.
 */
public final class LocalLayerStore implements LayerStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLayerStore.class);
    private final Path root;
    private final WriteMode mode;
    /** Whether layer files opened for reads are mapped into memory ({@link ReadableFile}). */
    private final boolean mapLayerFiles;

    /**
     * Writes layer files with direct I/O where the file system takes it ({@link WriteMode#DIRECT})
     * and maps those it opens for reads.
     */
    public LocalLayerStore(Path root) {
        this(root, true);
    }

    /** @param mapLayerFiles whether to map layer files for reads, else to read them positionally */
    public LocalLayerStore(Path root, boolean mapLayerFiles) {
        this(root, WriteMode.DIRECT, mapLayerFiles);
    }

    LocalLayerStore(Path root, WriteMode mode) {
        this(root, mode, true);
    }

    LocalLayerStore(Path root, WriteMode mode, boolean mapLayerFiles) {
        this.root = root;
        this.mode = mode;
        this.mapLayerFiles = mapLayerFiles;
    }

    Path timelineDir(TenantId tenantId, TimelineId timelineId) {
        return root.resolve("tenants").resolve(tenantId.hex()).resolve("timelines").resolve(timelineId.hex());
    }

    @Override
    public Path layerFile(TenantId tenantId, TimelineId timelineId, LayerName name) {
        return timelineDir(tenantId, timelineId).resolve(name.fileName());
    }

    @Override
    public IngestFile createIngestFile(TenantId tenantId, TimelineId timelineId, Lsn lsnStart) {
        Path dir = timelineDir(tenantId, timelineId);
        try {
            return LocalIngestFile.create(dir, lsnStart, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("creating ingest file " + LocalIngestFile.fileName(lsnStart) + " in " + dir, e);
        }
    }

    @Override
    public LayerWriter createDeltaWriter(TenantId tenantId, TimelineId timelineId, Lsn lsnStart) {
        Path dir = timelineDir(tenantId, timelineId);
        try {
            return DeltaLayerWriter.create(dir, lsnStart, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("creating a delta layer file from " + lsnStart + " in " + dir, e);
        }
    }

    @Override
    public LayerWriter createImageWriter(TenantId tenantId, TimelineId timelineId, Lsn lsn) {
        Path dir = timelineDir(tenantId, timelineId);
        try {
            return ImageLayerWriter.create(dir, lsn, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("creating an image layer file at " + lsn + " in " + dir, e);
        }
    }

    @Override
    public List<SealedLeftover> sealLeftovers(TenantId tenantId, TimelineId timelineId) {
        Path dir = timelineDir(tenantId, timelineId);
        List<SealedLeftover> sealed = new ArrayList<>();
        try (DirectoryStream<Path> unpublished = Files.newDirectoryStream(dir, "*" + LocalIngestFile.TEMP_SUFFIX)) {
            boolean deleted = false;
            for (Path file : unpublished) {
                LOG.info("deleting {}: a layer file whose writing a stop cut short", file);
                Files.delete(file);
                deleted = true;
            }
            if (deleted) {
                Durable.syncDirectory(dir);
            }
        } catch (NoSuchFileException e) {
            return sealed;
        } catch (IOException e) {
            throw new UncheckedIOException("deleting unpublished layer files in " + dir, e);
        }
        try {
            for (Path file : ingestFiles(dir)) {
                LeftoverSealer.seal(file, mode).ifPresent(sealed::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sealing the ingest files in " + dir, e);
        }
        return sealed;
    }

    /** The timeline's ingest files, oldest first (their names are their first LSNs in fixed-width hex). */
    private static List<Path> ingestFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + LocalIngestFile.SUFFIX)) {
            entries.forEach(files::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    @Override
    public LayerReader openLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        Path file = layerFile(tenantId, timelineId, name);
        try {
            return name.image() ? ImageLayerReader.open(file, false, mapLayerFiles)
                    : DeltaLayerReader.open(file, false, mapLayerFiles);
        } catch (IOException e) {
            throw new UncheckedIOException("opening layer file " + file, e);
        }
    }

    @Override
    public LayerEnd verifyLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        Path file = layerFile(tenantId, timelineId, name);
        try {
            return name.image() ? verifyImage(file, name) : verifyDelta(file, name);
        } catch (IOException e) {
            throw new UncheckedIOException("checking layer file " + file, e);
        }
    }

    private static LayerEnd verifyDelta(Path file, LayerName name) throws IOException {
        try (DeltaLayerReader reader = DeltaLayerReader.open(file, true, false)) {
            LayerFormat.Footer footer = reader.footer();
            requireDescribes(file, name, footer.keyStart(), footer.keyEnd(), footer.lsnStart(), footer.lsnEnd());
            return new LayerEnd(new LayerDescriptor(name, footer.fileLength()), Lsn.of(name.lsnEnd().value() - 1),
                    footer.prevOfLast());
        }
    }

    /** An image is one LSN: it is its own last record, and says nothing of the one before. */
    private static LayerEnd verifyImage(Path file, LayerName name) throws IOException {
        try (ImageLayerReader reader = ImageLayerReader.open(file, true, false)) {
            ImageFormat.Footer footer = reader.footer();
            requireDescribes(file, name, footer.keyStart(), footer.keyEnd(), footer.lsn(), footer.lsn().plus(1));
            return new LayerEnd(new LayerDescriptor(name, footer.fileLength()), footer.lsn(), Lsn.INVALID);
        }
    }

    private static void requireDescribes(Path file, LayerName name, Key keyStart, Key keyEnd, Lsn lsnStart, Lsn lsnEnd) {
        if (!lsnStart.equals(name.lsnStart()) || !lsnEnd.equals(name.lsnEnd()) || !keyStart.equals(name.keyStart())
                || !keyEnd.equals(name.keyEnd())) {
            throw new CorruptLayerException(file, "its footer describes another layer: keys " + keyStart + ".." + keyEnd
                    + ", LSNs " + lsnStart + ".." + lsnEnd);
        }
    }

    @Override
    public void deleteLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        Path file = layerFile(tenantId, timelineId, name);
        try {
            if (Files.deleteIfExists(file)) {
                Durable.syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting layer file " + file, e);
        }
    }

    @Override
    public void evictLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        // No directory fsync: it made an eviction pass run at the disk's pace of one fsync a layer.
        Path file = layerFile(tenantId, timelineId, name);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("evicting layer file " + file, e);
        }
    }

    @Override
    public void deleteTimeline(TenantId tenantId, TimelineId timelineId) {
        deleteTree(timelineDir(tenantId, timelineId), "timeline");
    }

    @Override
    public void deleteTenant(TenantId tenantId) {
        deleteTree(root.resolve("tenants").resolve(tenantId.hex()), "tenant");
    }

    private static void deleteTree(Path dir, String what) {
        try (Stream<Path> tree = Files.walk(dir)) {
            // Deepest first, so that each directory is empty when its turn comes.
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
            Durable.syncDirectory(dir.getParent());
        } catch (NoSuchFileException e) {
            // Already gone: deleting an absent timeline or tenant is not an error.
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + what + " directory " + dir, e);
        }
    }

    @Override
    public TimelineFiles listFiles(TenantId tenantId, TimelineId timelineId) {
        Path dir = timelineDir(tenantId, timelineId);
        Set<LayerName> layers = new TreeSet<>();
        boolean leftovers = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                if (fileName.endsWith(LocalIngestFile.SUFFIX) || fileName.endsWith(LocalIngestFile.TEMP_SUFFIX)) {
                    leftovers = true;
                    continue;
                }
                // The name first: a stat for every entry would cost a start with many timelines.
                Optional<LayerName> name = parseLayerName(fileName);
                if (name.isPresent() && Files.isRegularFile(entry)) {
                    layers.add(name.get());
                }
            }
        } catch (NoSuchFileException e) {
            return new TimelineFiles(Set.of(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("listing layer files in " + dir, e);
        }
        return new TimelineFiles(layers, leftovers);
    }

    /** A layer's name if the file name is exactly one (as written: upper-case hex). */
    private static Optional<LayerName> parseLayerName(String fileName) {
        try {
            LayerName name = LayerName.parse(fileName);
            return name.fileName().equals(fileName) ? Optional.of(name) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
