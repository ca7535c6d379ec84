/**
 * Layer files on local disk: the delta layer format ({@link org.pageserver.adapters.storage.layer.LayerFormat}
 * describes it byte by byte) and the image layer format ({@link org.pageserver.adapters.storage.layer.ImageFormat}),
 * ingest files that become delta files once sealed ({@link org.pageserver.adapters.storage.layer.LocalIngestFile}),
 * the writers that maintenance writes whole files with, under temporary names until published
 * ({@link org.pageserver.adapters.storage.layer.DeltaLayerWriter},
 * {@link org.pageserver.adapters.storage.layer.ImageLayerWriter}), the sealing of what a crash left
 * ({@link org.pageserver.adapters.storage.layer.LeftoverSealer}), a reader per format, and the
 * {@link org.pageserver.application.port.out.LayerStore} that lays the files out under the work
 * directory. Files are written with direct I/O where the file system takes it, through the page
 * cache where not ({@link org.pageserver.adapters.storage.layer.WriteMode}).
 */
package org.pageserver.adapters.storage.layer;
