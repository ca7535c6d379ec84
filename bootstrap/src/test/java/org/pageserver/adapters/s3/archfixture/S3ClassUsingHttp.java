package org.pageserver.adapters.s3.archfixture;

import org.pageserver.adapters.http.archfixture.HttpClassUsingStorage;

/** Deliberately wrong, for the architecture tests: one adapter using another. */
public class S3ClassUsingHttp {
    public Object use() {
        return HttpClassUsingStorage.class;
    }
}
