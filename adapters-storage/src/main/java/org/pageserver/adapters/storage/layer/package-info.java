/**
 * Layer files on local disk: the delta layer format ({@link org.pageserver.adapters.storage.layer.LayerFormat}
 * describes it byte by byte), ingest files that become layer files once sealed
 * ({@link org.pageserver.adapters.storage.layer.LocalIngestFile}), the sealing of what a crash left
 * ({@link org.pageserver.adapters.storage.layer.LeftoverSealer}), the reader, and the
 * {@link org.pageserver.application.port.out.LayerStore} that lays the files out under the work
 * directory. Files are written with direct I/O where the file system takes it, through the page
 * cache where not ({@link org.pageserver.adapters.storage.layer.WriteMode}).
 */
package org.pageserver.adapters.storage.layer;
