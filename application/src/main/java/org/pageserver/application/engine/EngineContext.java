package org.pageserver.application.engine;

import java.util.concurrent.Executor;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.SaveLayersPort;

/**
 * What every timeline's engine shares: the ports to files and metadata, the threads that
 * flush, and the node's limit on memory held by in-memory layers.
 */
public record EngineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                            Executor flushExecutor, InMemoryBudget memoryBudget) {
}
