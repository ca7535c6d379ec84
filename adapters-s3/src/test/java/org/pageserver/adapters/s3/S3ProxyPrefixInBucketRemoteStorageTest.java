package org.pageserver.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pageserver.application.port.out.RemoteStorage.RemoteObject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The contract on S3Proxy with a prefix in the bucket (several pageservers, or test runs, sharing a
 * bucket): keys carry the prefix, paths do not, and what lies outside the prefix is invisible.
 */
class S3ProxyPrefixInBucketRemoteStorageTest extends S3ProxyContractTest {
    /** Written with slashes at both ends, as a hand-written setting may be: they are no part of the keys. */
    @Override
    String prefixInBucket() {
        return "/pageserver/one/";
    }

    @Test
    void keysCarryThePrefixAndPathsDoNot() {
        storage.upload("x".getBytes(), path("tenants/a/layer"));

        assertEquals(List.of("pageserver/one/tenants/a/layer"), proxy.buckets().client()
                .listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList());
        assertEquals(List.of(new RemoteObject(path("tenants/a/layer"), 1)), storage.list(path("tenants/a")));
    }

    @Test
    void objectsOutsideThePrefixAreInvisibleAndUntouched() {
        for (String key : List.of("tenants/a/layer", "pageserver/two/tenants/a/layer", "pageserver/onex/tenants/a/layer")) {
            proxy.buckets().client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("other"));
        }
        storage.upload("mine".getBytes(), path("tenants/a/layer"));

        assertEquals(List.of(new RemoteObject(path("tenants/a/layer"), 4)), storage.list(path("tenants/a")));
        storage.delete(List.of(path("tenants/a/layer")));
        assertEquals(3, proxy.buckets().client().listObjectsV2(b -> b.bucket(bucket)).contents().size());
    }
}
