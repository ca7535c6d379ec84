package org.pageserver.application.port.in;

import java.time.Instant;
import java.util.List;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.lsn.Lsn;

/**
 * A timeline's layers as the layer endpoint lists them (Neon's LayerMapInfo): the in-memory layers
 * (the open one first, then the frozen ones, newest first) and the layer files, newest first.
 */
public record LayerMapInfo(List<InMemory> inMemory, List<Historic> historic) {

    /** An in-memory layer: frozen with its end, or the open one (end null). */
    public record InMemory(boolean frozen, Lsn lsnStart, Lsn lsnEnd) {
    }

    /**
     * A layer file: its name and size, whether it is on local disk, when a read last took a value
     * from it (null if none since the start), and its last change of residence (null if none).
     */
    public record Historic(LayerDescriptor layer, boolean resident, Instant lastAccess, ResidenceChange lastResidenceChange) {
    }

    /** Resident (downloaded) or evicted, why, and when. */
    public record ResidenceChange(boolean resident, String reason, Instant at) {
    }
}
