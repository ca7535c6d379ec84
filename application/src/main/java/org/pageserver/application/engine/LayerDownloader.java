package org.pageserver.application.engine;

import org.pageserver.domain.layer.LayerDescriptor;

/**
 * Brings a layer file that is recorded but not on local disk back from remote storage (Neon's
 * on-demand download): a layer after the disk that held it was lost, and later one that eviction
 * removed. The first read of such a layer calls it; concurrent reads of that layer wait for it.
 */
@FunctionalInterface
public interface LayerDownloader {

    /**
     * Puts the layer's file in place on local disk, checked against what the index says of it.
     *
     * @throws org.pageserver.domain.error.PageserverException UNAVAILABLE if it cannot now (the read
     *                                                         fails; a later one tries again)
     */
    void download(LayerDescriptor layer);
}
