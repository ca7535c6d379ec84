package org.pageserver.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/** The contract on S3Proxy, in process, with the objects at the top of the bucket. */
class S3ProxyRemoteStorageTest extends S3ProxyContractTest {
    @Override
    String prefixInBucket() {
        return null;
    }

    @Test
    void objectsAreKeyedByTheirPathAtTheTopOfTheBucket() {
        storage.upload("x".getBytes(), path("tenants/a/layer"));

        assertArrayEquals("x".getBytes(), proxy.buckets().client()
                .getObjectAsBytes(b -> b.bucket(bucket).key("tenants/a/layer")).asByteArray());
    }

    /** Else the contract's listing of 1100 objects would not prove that continuation tokens are followed. */
    @Test
    void theServerPagesListingsAtAThousandKeys() {
        uploadMany("tenants/a", MORE_THAN_A_PAGE);

        ListObjectsV2Response first = proxy.buckets().client().listObjectsV2(b -> b.bucket(bucket).prefix("tenants/a/"));
        assertTrue(first.isTruncated() && first.contents().size() == 1000, first.contents().size() + " keys");
    }

    @Test
    void aMissingBucketIsAFailureNotAMissingObject() {
        try (S3RemoteStorage nowhere = proxy.buckets().storage("no-such-bucket", null)) {
            assertThrows(UncheckedIOException.class, () -> nowhere.download(path("tenants/a/layer")));
            assertThrows(UncheckedIOException.class, () -> nowhere.list(path("tenants/a")));
        }
    }
}
