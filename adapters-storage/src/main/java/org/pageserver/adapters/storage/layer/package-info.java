/**
 * Layer files on local disk: the delta layer format ({@link org.pageserver.adapters.storage.layer.DeltaLayerWriter}
 * describes it byte by byte), its reader, and the {@link org.pageserver.application.port.out.LayerStore}
 * that lays the files out under the work directory.
 */
package org.pageserver.adapters.storage.layer;
