package org.pageserver.adapters.s3;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A test's S3-compatible server (S3Proxy, LocalStack): a new bucket per test, so that each starts
 * empty, and a raw client to look behind the adapter (where its keys land).
 */
final class TestBuckets implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final S3Client client;

    TestBuckets(URI endpoint, String region, String accessKey, String secretKey) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        this.client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.of(region))
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** Creates a bucket no other test uses. */
    String newBucket() {
        String bucket = "bucket-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    S3RemoteStorage storage(String bucket, String prefixInBucket) {
        return new S3RemoteStorage(new S3Settings(bucket, region, prefixInBucket, endpoint), credentials);
    }

    URI endpoint() {
        return endpoint;
    }

    String region() {
        return region;
    }

    S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
