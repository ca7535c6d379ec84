package org.pageserver.application.engine;

import java.util.concurrent.Executor;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.application.port.out.SaveLayersPort;

/**
 * What every timeline's engine shares: the ports to files and metadata, the threads that
 * flush, the node's limit on memory held by in-memory layers, its metrics, and whether reads
 * may take what the engine keeps in memory instead of looking in layers (relation sizes): off
 * only to check that the caches change no answer.
 */
public record EngineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                            Executor flushExecutor, InMemoryBudget memoryBudget, Metrics metrics, boolean readCaches) {

    /** An engine whose numbers go nowhere, with the read caches on. */
    public EngineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                         Executor flushExecutor, InMemoryBudget memoryBudget) {
        this(layerStore, loadLayers, saveLayers, flushExecutor, memoryBudget, Metrics.NONE, true);
    }
}
