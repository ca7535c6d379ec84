package org.pageserver.adapters.storage.metadata;

import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;

/** Layer descriptors to rows and back; LSNs keep their raw 64 bits, as in {@link TimelineRowMapper}. */
final class LayerRowMapper {

    private LayerRowMapper() {
    }

    /** A layer just flushed, hence resident. */
    static LayerRow toFlushedRow(TenantId tenantId, TimelineId timelineId, LayerDescriptor layer) {
        LayerName name = layer.name();
        return new LayerRow(new LayerKey(tenantId.hex(), timelineId.hex(), name.fileName()),
                name.keyStart().toHex(), name.keyEnd().toHex(), name.lsnStart().value(), name.lsnEnd().value(),
                layer.fileSize(), true);
    }

    /**
     * The name comes from {@code file_name}, the identity the file on disk carries.
     *
     * @throws PageserverException INTERNAL naming the row where the file name does not parse or the
     *         range columns disagree with it: a corrupt row, and guessing which side is right could
     *         open the wrong file or drop history
     */
    static LayerDescriptor toDomain(LayerRow row) {
        LayerName name;
        try {
            name = LayerName.parse(row.id().fileName());
        } catch (IllegalArgumentException e) {
            throw corrupt(row, e.getMessage(), e);
        }
        if (!name.keyStart().toHex().equals(row.keyStart()) || !name.keyEnd().toHex().equals(row.keyEnd())
                || name.lsnStart().value() != row.lsnStart() || name.lsnEnd().value() != row.lsnEnd()) {
            throw corrupt(row, "its key or LSN columns disagree with the file name", null);
        }
        return new LayerDescriptor(name, row.fileSize());
    }

    private static PageserverException corrupt(LayerRow row, String reason, Throwable cause) {
        return new PageserverException(ErrorKind.INTERNAL, "timeline " + row.id().tenantId() + "/"
                + row.id().timelineId() + ": cannot load layer " + row.id().fileName() + ": " + reason, cause);
    }
}
