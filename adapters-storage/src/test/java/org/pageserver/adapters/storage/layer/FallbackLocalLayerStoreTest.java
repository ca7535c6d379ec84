package org.pageserver.adapters.storage.layer;

import java.nio.file.Path;

/** Every local store test, on a store whose file system refuses direct I/O so that it falls back. */
class FallbackLocalLayerStoreTest extends LocalLayerStoreTest {
    @Override
    LocalLayerStore newStore(Path root) {
        return new LocalLayerStore(root, WriteMode.DIRECT_AS_IF_REFUSED);
    }
}
