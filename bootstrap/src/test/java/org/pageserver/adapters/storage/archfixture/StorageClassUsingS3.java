package org.pageserver.adapters.storage.archfixture;

import org.pageserver.adapters.s3.archfixture.S3ClassUsingHttp;

/** Deliberately wrong, for the architecture tests: one adapter using another. */
public class StorageClassUsingS3 {
    public Object use() {
        return new S3ClassUsingHttp();
    }
}
