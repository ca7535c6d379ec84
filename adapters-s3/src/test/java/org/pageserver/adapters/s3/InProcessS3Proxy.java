package org.pageserver.adapters.s3;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy in the test JVM (about a second to start, no Docker): a real S3 protocol server, signing
 * checked, objects in memory. Shared by a test class; each test takes a new bucket.
 */
final class InProcessS3Proxy implements AutoCloseable {
    private final S3Proxy proxy;
    private final TestBuckets buckets;

    private InProcessS3Proxy(S3Proxy proxy) {
        this.proxy = proxy;
        this.buckets = new TestBuckets(URI.create("http://127.0.0.1:" + proxy.getPort()), "us-east-1", "access", "secret");
    }

    static InProcessS3Proxy start() throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return new InProcessS3Proxy(proxy);
    }

    TestBuckets buckets() {
        return buckets;
    }

    @Override
    public void close() throws Exception {
        buckets.close();
        proxy.stop();
    }
}
