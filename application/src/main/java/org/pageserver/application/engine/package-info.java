/**
 * The storage engine of one timeline: in-memory and on-disk layers, ingest, GetPage@LSN and the
 * other reads, freezing and flushing. Files and the ingest log are reached through the
 * {@code port.out} interfaces {@code LayerStore}, {@code SaveLayersPort} and {@code IngestLog}.
 */
package org.pageserver.application.engine;
