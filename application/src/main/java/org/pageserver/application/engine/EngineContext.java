package org.pageserver.application.engine;

import java.util.concurrent.Executor;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.application.port.out.SaveLayersPort;

/**
 * What every timeline's engine shares: the ports to files and metadata, the threads that
 * flush, the node's limit on memory held by in-memory layers, its metrics, and the read caches:
 * whether reads may take the relation sizes the engine keeps in memory instead of looking in
 * layers, and the page cache ({@link PageCache#NONE} for none). Both off only to check that the
 * caches change no answer.
 */
public record EngineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                            Executor flushExecutor, InMemoryBudget memoryBudget, Metrics metrics, boolean readCaches,
                            PageCache pageCache) {

    /** Pages the engines of tests and tools cache: enough for their reads, few enough to see evictions. */
    static final int SMALL_PAGE_CACHE = 256;

    /** An engine whose numbers go nowhere, with the read caches on and a small page cache. */
    public EngineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                         Executor flushExecutor, InMemoryBudget memoryBudget) {
        this(layerStore, loadLayers, saveLayers, flushExecutor, memoryBudget, Metrics.NONE, true,
                new PageCache(SMALL_PAGE_CACHE));
    }
}
