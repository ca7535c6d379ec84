package org.pageserver.adapters.storage.layer;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.pageserver.application.port.out.LayerStore;

/** Puts the layer files under the node's work directory. */
@Factory
class LayerStoreFactory {

    @Singleton
    LayerStore layerStore(@Value("${pageserver.workdir:.pageserver}") Path workdir) {
        return new LocalLayerStore(workdir);
    }
}
