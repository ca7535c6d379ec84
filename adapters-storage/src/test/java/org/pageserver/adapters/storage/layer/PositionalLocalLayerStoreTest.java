package org.pageserver.adapters.storage.layer;

import java.nio.file.Path;

/** Every local store test, with layer files read by positional reads instead of through a mapping. */
class PositionalLocalLayerStoreTest extends LocalLayerStoreTest {
    @Override
    LocalLayerStore newStore(Path root) {
        return new LocalLayerStore(root, false);
    }
}
