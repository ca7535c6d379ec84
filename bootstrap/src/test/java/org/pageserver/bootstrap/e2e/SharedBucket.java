package org.pageserver.bootstrap.e2e;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * The remote storage that server processes of a test share: a local-path directory, or an S3
 * bucket served by S3Proxy in this JVM and kept in a directory as one file per object. Either way
 * {@link #root()} is a directory whose files are the bucket's objects under their keys, so a test
 * can look at, damage or count objects whichever adapter the nodes use.
 */
final class SharedBucket implements AutoCloseable {
    static final String BUCKET = "pageserver-bucket";

    private final Path root;
    private final Map<String, String> settings;
    private final S3Proxy proxy;

    private SharedBucket(Path root, Map<String, String> settings, S3Proxy proxy) {
        this.root = root;
        this.settings = settings;
        this.proxy = proxy;
    }

    /** {@code kind} is {@code local} (a local-path directory) or {@code s3} (S3Proxy), under {@code dir}. */
    static SharedBucket start(String kind, Path dir) throws Exception {
        if (kind.equals("local")) {
            Path root = dir.resolve("bucket");
            return new SharedBucket(root, Map.of("pageserver.remote-storage.local-path", root.toString()), null);
        }
        if (!kind.equals("s3")) {
            throw new IllegalArgumentException("no such bucket kind: " + kind);
        }
        Path base = dir.resolve("s3");
        java.nio.file.Files.createDirectories(base);
        FilesystemNio2BlobStore blobs = new FilesystemNio2BlobStore(base.toString());
        blobs.createContainer(BUCKET);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        // The nodes take their credentials from the AWS SDK's default chain: here, system properties.
        Map<String, String> settings = Map.of(
                "pageserver.remote-storage.bucket-name", BUCKET,
                "pageserver.remote-storage.bucket-region", "us-east-1",
                "pageserver.remote-storage.endpoint", "http://127.0.0.1:" + proxy.getPort(),
                "aws.accessKeyId", "access",
                "aws.secretAccessKey", "secret");
        return new SharedBucket(base.resolve(BUCKET), settings, proxy);
    }

    /** The settings a node needs to use this bucket. */
    Map<String, String> settings() {
        return settings;
    }

    /**
     * {@code settings} with this bucket's, for a server in this JVM: the AWS SDK takes the
     * credentials from system properties, which every in-JVM server shares (the same for all).
     */
    Map<String, Object> inJvm(Map<String, Object> settings) {
        Map<String, Object> all = new java.util.HashMap<>(settings);
        this.settings.forEach((key, value) -> {
            if (key.startsWith("aws.")) {
                System.setProperty(key, value);
            } else {
                all.put(key, value);
            }
        });
        return all;
    }

    /** The directory holding the bucket's objects, one file per key. */
    Path root() {
        return root;
    }

    @Override
    public void close() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }
}
