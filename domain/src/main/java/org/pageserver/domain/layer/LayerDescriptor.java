package org.pageserver.domain.layer;

/** A layer file as the metadata database records it: its name and its size in bytes. */
public record LayerDescriptor(LayerName name, long fileSize) {
    public LayerDescriptor {
        if (fileSize < 0) {
            throw new IllegalArgumentException("negative layer size");
        }
    }
}
