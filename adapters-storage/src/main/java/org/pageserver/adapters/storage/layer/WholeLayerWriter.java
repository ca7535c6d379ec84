package org.pageserver.adapters.storage.layer;

import org.pageserver.application.port.out.LayerWriter;

/**
 * What the writers of whole layer files share, delta and image alike: their file, written under
 * a temporary name, its size so far, its publication and its discarding ({@link UnpublishedLayerFile}).
 */
abstract class WholeLayerWriter implements LayerWriter {
    final UnpublishedLayerFile file;

    WholeLayerWriter(UnpublishedLayerFile file) {
        this.file = file;
    }

    @Override
    public final long bytesWritten() {
        return file.end();
    }

    @Override
    public final void publish() {
        file.publish();
    }

    @Override
    public final void discard() {
        file.discard();
    }
}
