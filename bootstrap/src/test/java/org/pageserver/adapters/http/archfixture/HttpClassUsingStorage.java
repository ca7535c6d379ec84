package org.pageserver.adapters.http.archfixture;

import org.pageserver.adapters.storage.archfixture.StorageClassUsingS3;

/** Deliberately wrong, for the architecture tests: one adapter using another. */
public class HttpClassUsingStorage {
    public Object use() {
        return new StorageClassUsingS3();
    }
}
