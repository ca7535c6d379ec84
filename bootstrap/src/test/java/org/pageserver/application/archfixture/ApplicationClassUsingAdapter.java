package org.pageserver.application.archfixture;

import org.pageserver.adapters.storage.archfixture.StorageClassUsingS3;

/** Deliberately wrong, for the architecture tests: a use case that calls an adapter directly instead of a port. */
public class ApplicationClassUsingAdapter {
    public Object use() {
        return new StorageClassUsingS3();
    }
}
