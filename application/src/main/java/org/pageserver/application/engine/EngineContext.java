package org.pageserver.application.engine;

import java.util.concurrent.Executor;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.application.port.out.SaveLayersPort;

/**
 * What every timeline's engine shares: the ports to files and metadata, the threads that
 * flush, the node's limit on memory held by in-memory layers, and its metrics.
 */
public record EngineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                            Executor flushExecutor, InMemoryBudget memoryBudget, Metrics metrics) {

    /** An engine whose numbers go nowhere. */
    public EngineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                         Executor flushExecutor, InMemoryBudget memoryBudget) {
        this(layerStore, loadLayers, saveLayers, flushExecutor, memoryBudget, Metrics.NONE);
    }
}
