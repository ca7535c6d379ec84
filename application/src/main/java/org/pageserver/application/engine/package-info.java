/**
 * The storage engine of one timeline: in-memory and on-disk layers, ingest, GetPage@LSN and the
 * other reads, freezing and flushing. Files are reached through the {@code port.out} interfaces
 * {@code LayerStore} (and its {@code IngestFile}s) and {@code SaveLayersPort}.
 */
package org.pageserver.application.engine;
