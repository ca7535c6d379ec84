package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.pageserver.application.port.out.IngestFile.Placed;
import org.pageserver.application.port.out.LayerStore.SealedLeftover;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.page.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up's part of durability: an ingest file a crash left behind holds every batch acknowledged
 * from it, and maybe a torn one after them. It is cut after its last whole batch and sealed as a
 * layer, indexed from a scan of its body. A file sealed before the crash but not yet published is
 * sealed again the same way: its body ends where its version lists begin.
 */
final class LeftoverSealer {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSealer.class);
    private static final Comparator<Placed> ORDER = Comparator.comparing(Placed::key).thenComparing(Placed::lsn);

    private LeftoverSealer() {
    }

    /**
     * @return the sealed layer, unpublished; empty if the file held no whole batch (it is then deleted)
     * @throws CorruptLayerException if the file has a whole header that is not an ingest file's
     */
    static Optional<SealedLeftover> seal(Path file, WriteMode mode) throws IOException {
        LayerFormat.Header header;
        BodyScanner.Scan scan;
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            if (size < LayerFormat.HEADER_SIZE) {
                // The header is forced before the first batch is written: this file never had one.
                LOG.warn("deleting ingest file {}: cut short while it was being created, it holds nothing", file);
                Files.delete(file);
                return Optional.empty();
            }
            header = LayerFormat.decodeHeader(PositionalRead.readFully(channel, file, 0, 64), file);
            scan = BodyScanner.scan(channel, header.salt(), size);
        }
        if (scan.isEmpty()) {
            LOG.info("deleting ingest file {}: it holds no whole batch", file);
            Files.delete(file);
            return Optional.empty();
        }
        LOG.info("sealing ingest file {} up to LSN {} (versions: {}); cut after its last whole batch, {} bytes"
                        + " after it went (the last block's padding, or a batch the crash tore)",
                file, scan.lastLsn(), scan.versions().size(), size - scan.end());
        LocalIngestFile ingest = LocalIngestFile.reopen(file, header, scan, mode);
        List<Placed> sorted = new ArrayList<>(scan.versions());
        sorted.sort(ORDER);
        // Named as its flush would have named it: a level 0 layer of its LSN range.
        LayerName name = LayerName.l0(header.lsnStart(), scan.lastLsn().plus(1));
        LayerDescriptor layer = ingest.seal(name, scan.prevLsn(), sorted.iterator());
        return Optional.of(new SealedLeftover(layer, scan.lastLsn(), scan.prevLsn(), ingest));
    }
}
