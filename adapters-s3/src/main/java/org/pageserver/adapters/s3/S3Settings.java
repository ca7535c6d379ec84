package org.pageserver.adapters.s3;

import java.net.URI;
import java.time.Duration;

/**
 * Where objects live in S3 and how hard to press the server, under Neon's names
 * ({@code RemoteStorageConfig} with an S3 kind).
 *
 * @param bucket           the bucket's name
 * @param region           the bucket's region; S3-compatible servers mostly ignore it, but the SDK signs with it
 * @param prefixInBucket   the objects' common prefix inside the bucket, without slashes at its ends
 *                         (several pageservers or test runs may share a bucket); null or blank for none
 * @param endpoint         an S3-compatible server's URL (MinIO, S3Proxy, LocalStack), addressed path-style,
 *                         since such servers seldom resolve bucket names as host names; null for AWS
 * @param concurrencyLimit how many calls may be in flight at once (Neon's default is 100): more wait
 * @param timeout          the bound of one call, waiting for a permit included, the SDK's retries
 *                         and a download's streaming too, so it must allow for the largest layer
 */
public record S3Settings(String bucket, String region, String prefixInBucket, URI endpoint, int concurrencyLimit,
                         Duration timeout) {
    public static final int DEFAULT_CONCURRENCY_LIMIT = 100;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an S3 bucket name is required");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("the region of bucket " + bucket + " is required");
        }
        if (concurrencyLimit <= 0) {
            throw new IllegalArgumentException("the S3 concurrency limit must be positive, not " + concurrencyLimit);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the S3 timeout must be positive, not " + timeout);
        }
        prefixInBucket = trimSlashes(prefixInBucket);
    }

    /** Settings with Neon's defaults for the concurrency limit and the timeout. */
    public S3Settings(String bucket, String region, String prefixInBucket, URI endpoint) {
        this(bucket, region, prefixInBucket, endpoint, DEFAULT_CONCURRENCY_LIMIT, DEFAULT_TIMEOUT);
    }

    /** The key of an object: its path under the prefix, if there is one. */
    String key(String path) {
        return prefixInBucket.isEmpty() ? path : prefixInBucket + "/" + path;
    }

    /** The path of an object from its key, which must lie under the prefix. */
    String path(String key) {
        return prefixInBucket.isEmpty() ? key : key.substring(prefixInBucket.length() + 1);
    }

    private static String trimSlashes(String prefix) {
        if (prefix == null) {
            return "";
        }
        String trimmed = prefix.strip();
        int start = 0;
        int end = trimmed.length();
        while (start < end && trimmed.charAt(start) == '/') {
            start++;
        }
        while (end > start && trimmed.charAt(end - 1) == '/') {
            end--;
        }
        return trimmed.substring(start, end);
    }
}
