package org.pageserver.adapters.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pageserver.application.port.out.RemoteStorage;

/**
 * The contract on S3Proxy in process: one server per test class (classes run one after another, so
 * the static field is theirs in turn), a new bucket per test.
 */
abstract class S3ProxyContractTest extends RemoteStorageContractTest {
    static InProcessS3Proxy proxy;
    /** The bucket of the running test. */
    String bucket;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = InProcessS3Proxy.start();
    }

    @AfterAll
    static void stopProxy() throws Exception {
        proxy.close();
    }

    /** The objects' prefix in the bucket; null for none. */
    abstract String prefixInBucket();

    @Override
    protected RemoteStorage newStorage() {
        bucket = proxy.buckets().newBucket();
        return proxy.buckets().storage(bucket, prefixInBucket());
    }
}
