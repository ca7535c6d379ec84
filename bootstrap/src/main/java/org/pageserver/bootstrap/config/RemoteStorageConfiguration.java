package org.pageserver.bootstrap.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.pageserver.adapters.s3.S3Settings;

/**
 * Where remote storage is, under Neon's names ({@code remote_storage} in {@code pageserver.toml})
 * with the prefix {@code pageserver.remote-storage} ({@code PAGESERVER_REMOTE_STORAGE_BUCKET_NAME},
 * {@code -Dpageserver.remote-storage.bucket-name=...}). One of two kinds:
 * <ul>
 *   <li>{@code local-path}: a directory whose files are the objects (Neon's {@code local_fs}). A
 *       relative path lies under {@code pageserver.workdir}, as in Neon, which runs in its work
 *       directory.</li>
 *   <li>{@code bucket-name} with {@code bucket-region} (required), {@code prefix-in-bucket} (the
 *       objects' common key prefix, for buckets that several pageservers share) and
 *       {@code endpoint} (an S3-compatible server's URL, addressed path-style): an S3 bucket.
 *       Credentials come from the AWS SDK's default chain ({@code AWS_ACCESS_KEY_ID} and
 *       {@code AWS_SECRET_ACCESS_KEY}, a profile, an instance role), never from this file.
 *       {@code concurrency-limit} (default 100, Neon's) caps the requests in flight, and
 *       {@code timeout} (default 120s) bounds each, waiting for the cap included: it must allow
 *       for downloading the largest layer.</li>
 * </ul>
 * {@code detach-upload-wait} (default 30s): how long a detach waits for remote storage to hold
 * everything the tenant acknowledged before it answers 503 and keeps the tenant.
 * Neither set: the directory {@code <workdir>/remote_storage}, so that a single node keeps its
 * layers remotely with no setting (Neon runs without remote storage then; this pageserver always
 * has one). Both set: the start fails, rather than guessing which was meant.
 */
@ConfigurationProperties("pageserver.remote-storage")
public class RemoteStorageConfiguration {
    static final String LOCAL_PATH = "pageserver.remote-storage.local-path";
    static final String BUCKET_NAME = "pageserver.remote-storage.bucket-name";
    /** The directory under the work directory used when nothing is set. */
    public static final String DEFAULT_DIRECTORY = "remote_storage";

    private Path localPath;
    private String bucketName;
    private String bucketRegion;
    private String prefixInBucket;
    private URI endpoint;
    private int concurrencyLimit = S3Settings.DEFAULT_CONCURRENCY_LIMIT;
    private Duration timeout = S3Settings.DEFAULT_TIMEOUT;
    private Duration detachUploadWait = Duration.ofSeconds(30);

    /** Whether the objects live in an S3 bucket rather than a directory; fails when both are set. */
    public boolean isS3() {
        if (localPath != null && bucketName != null) {
            throw new ConfigurationException(LOCAL_PATH + " and " + BUCKET_NAME
                    + " are both set: remote storage is a local directory or an S3 bucket, set one of them");
        }
        return bucketName != null;
    }

    /** The directory, relative to the work directory unless absolute. */
    public Path localDirectory(Path workdir) {
        return workdir.resolve(localPath != null ? localPath : Path.of(DEFAULT_DIRECTORY));
    }

    public S3Settings s3Settings() {
        try {
            return new S3Settings(bucketName, bucketRegion, prefixInBucket, endpoint, concurrencyLimit, timeout);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("invalid pageserver.remote-storage: " + e.getMessage());
        }
    }

    public Path getLocalPath() {
        return localPath;
    }

    public void setLocalPath(Path localPath) {
        this.localPath = localPath;
    }

    public String getBucketName() {
        return bucketName;
    }

    public void setBucketName(String bucketName) {
        this.bucketName = bucketName;
    }

    public String getBucketRegion() {
        return bucketRegion;
    }

    public void setBucketRegion(String bucketRegion) {
        this.bucketRegion = bucketRegion;
    }

    public String getPrefixInBucket() {
        return prefixInBucket;
    }

    public void setPrefixInBucket(String prefixInBucket) {
        this.prefixInBucket = prefixInBucket;
    }

    public URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
    }

    public int getConcurrencyLimit() {
        return concurrencyLimit;
    }

    public void setConcurrencyLimit(int concurrencyLimit) {
        this.concurrencyLimit = concurrencyLimit;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getDetachUploadWait() {
        return detachUploadWait;
    }

    public void setDetachUploadWait(Duration detachUploadWait) {
        this.detachUploadWait = detachUploadWait;
    }
}
