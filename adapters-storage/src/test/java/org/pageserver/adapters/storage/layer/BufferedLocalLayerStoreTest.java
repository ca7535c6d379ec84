package org.pageserver.adapters.storage.layer;

import java.nio.file.Path;

/** Every local store test, with layer files written through the page cache. */
class BufferedLocalLayerStoreTest extends LocalLayerStoreTest {
    @Override
    LocalLayerStore newStore(Path root) {
        return new LocalLayerStore(root, WriteMode.BUFFERED);
    }
}
