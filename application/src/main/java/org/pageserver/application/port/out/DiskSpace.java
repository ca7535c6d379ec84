package org.pageserver.application.port.out;

/** The size and free space of the file system holding the node's work directory. */
public interface DiskSpace {

    /** Both in bytes; the free space is what this process may use. */
    record Usage(long totalBytes, long availableBytes) {
    }

    Usage usage();
}
