package org.pageserver.adapters.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.remote.RemotePath;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Remote storage in a bucket of S3 or an S3-compatible server, through the AWS SDK v2's blocking
 * client: the callers (the upload queue, on-demand downloads) run on their own threads and wait.
 *
 * <p>Each request is one SDK call: the SDK's own retries of a throttled or dropped request happen
 * inside it, and nothing is retried beyond it (the port leaves that to the callers). A request
 * waits for one of {@link S3Settings#concurrencyLimit()} permits first, and the configured timeout
 * bounds the wait and the call together. A listing or a deletion of many keys is several requests,
 * each bounded on its own.
 *
 * <p>The SDK adds CRC checksums to every upload and checks them on downloads unless told
 * otherwise; S3-compatible servers do not all accept the trailing checksum headers, so checksums
 * are sent and checked only where S3 requires them (DeleteObjects, with Content-MD5 as well). An
 * object's integrity is the caller's to check: a layer's size against its index part.
 *
 * <p>A listing returns the objects strictly below a prefix ({@code <prefix>/...}), so that
 * {@code tenants/ab} does not list {@code tenants/abc}. Keys that are no {@link RemotePath} (a
 * console's {@code folder/} marker) are no objects of ours and are left out.
 */
public final class S3RemoteStorage implements RemoteStorage, AutoCloseable {
    /** S3 deletes at most this many keys per DeleteObjects request. */
    static final int DELETE_BATCH = 1000;

    private final S3Settings settings;
    private final S3Client client;
    private final Semaphore permits;

    /** Credentials from the SDK's default chain: environment, system properties, profile, instance role. */
    public S3RemoteStorage(S3Settings settings) {
        this(settings, null);
    }

    /** With the given credentials; null for the default chain. */
    public S3RemoteStorage(S3Settings settings, AwsCredentialsProvider credentials) {
        this.settings = settings;
        this.client = client(settings, credentials);
        this.permits = new Semaphore(settings.concurrencyLimit(), true);
    }

    private static S3Client client(S3Settings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                // One pooled connection per permit: a call never waits for a connection as well.
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(settings.concurrencyLimit()))
                .overrideConfiguration(c -> c.apiCallTimeout(settings.timeout()))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // DeleteObjects needs a checksum: the SDK sends a CRC32, which servers that predate
                // it (MinIO, Ceph of some years) refuse; Content-MD5 beside it satisfies every server.
                .addPlugin(LegacyMd5Plugin.create());
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint()).forcePathStyle(true);
        }
        return builder.build();
    }

    @Override
    public void upload(Path file, RemotePath path) {
        call("upload " + file + " to " + path, null,
                timeout -> client.putObject(put(path, timeout), RequestBody.fromFile(file)));
    }

    @Override
    public void upload(byte[] bytes, RemotePath path) {
        call("upload " + path, null, timeout -> client.putObject(put(path, timeout), RequestBody.fromBytes(bytes)));
    }

    private PutObjectRequest put(RemotePath path, AwsRequestOverrideConfiguration timeout) {
        return PutObjectRequest.builder().bucket(settings.bucket()).key(settings.key(path.value()))
                .overrideConfiguration(timeout).build();
    }

    /**
     * Streams the object into a temporary file inside the call, so that the timeout bounds the
     * transfer too; an SDK retry starts the file over.
     */
    @Override
    public void download(RemotePath path, Path file) {
        try {
            AtomicFiles.replace(file, temporary -> call("download " + path, path,
                    timeout -> client.getObject(get(path, timeout),
                            (response, in) -> Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING))), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + path + " to " + file, e);
        }
    }

    @Override
    public byte[] download(RemotePath path) {
        return call("download " + path, path,
                timeout -> client.getObject(get(path, timeout), ResponseTransformer.toBytes())).asByteArray();
    }

    private GetObjectRequest get(RemotePath path, AwsRequestOverrideConfiguration timeout) {
        return GetObjectRequest.builder().bucket(settings.bucket()).key(settings.key(path.value()))
                .overrideConfiguration(timeout).build();
    }

    @Override
    public List<RemoteObject> list(RemotePath prefix) {
        String keyPrefix = settings.key(prefix.value()) + "/";
        List<RemoteObject> objects = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call("list " + prefix, null, timeout -> client.listObjectsV2(b -> b
                    .bucket(settings.bucket()).prefix(keyPrefix).continuationToken(continuation)
                    .overrideConfiguration(timeout)));
            for (S3Object object : page.contents()) {
                RemotePath path = asPath(settings.path(object.key()));
                if (path != null) {
                    objects.add(new RemoteObject(path, object.size()));
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        // S3 orders keys by their UTF-8 bytes, RemotePath by UTF-16 units: they differ beyond the BMP.
        objects.sort(Comparator.comparing(RemoteObject::path));
        return objects;
    }

    private static RemotePath asPath(String key) {
        try {
            return new RemotePath(key);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /**
     * DeleteObjects in batches of {@value #DELETE_BATCH}, quiet (only failures are answered). S3
     * reports a missing key as deleted; a server that answers NoSuchKey is taken at its word too.
     * A batch that fails whole stops the deletion: that batch and the ones after it are named as
     * not deleted.
     */
    @Override
    public void delete(Collection<RemotePath> paths) {
        List<RemotePath> keys = new ArrayList<>(new TreeSet<>(paths));
        List<String> failures = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(from + DELETE_BATCH, keys.size())).stream()
                    .map(path -> ObjectIdentifier.builder().key(settings.key(path.value())).build()).toList();
            DeleteObjectsResponse response;
            try {
                response = call("delete " + batch.size() + " objects", null, timeout -> client.deleteObjects(b -> b
                        .bucket(settings.bucket())
                        .delete(d -> d.objects(batch).quiet(true)).overrideConfiguration(timeout)));
            } catch (UncheckedIOException e) {
                keys.subList(from, keys.size()).forEach(path -> failures.add(path.value()));
                throw new UncheckedIOException(DeleteFailures.message(failures, keys.size()), e.getCause());
            }
            for (S3Error error : response.errors()) {
                if (!"NoSuchKey".equals(error.code())) {
                    failures.add(settings.path(error.key()) + " (" + error.code() + ": " + error.message() + ")");
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new UncheckedIOException(DeleteFailures.message(failures, keys.size()),
                    new IOException("DeleteObjects answered errors for some keys"));
        }
    }

    /**
     * One request: a permit, then the SDK call with what is left of the timeout. For a download
     * ({@code read} given), a 404 is {@link NotFoundException}; a missing bucket is a
     * misconfiguration, not a missing object, and fails like every other error.
     */
    private <T> T call(String what, RemotePath read, Function<AwsRequestOverrideConfiguration, T> request) {
        long start = System.nanoTime();
        acquire(what);
        try {
            Duration left = settings.timeout().minusNanos(System.nanoTime() - start);
            if (left.isNegative() || left.isZero()) {
                throw timedOut(what);
            }
            return request.apply(AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build());
        } catch (S3Exception e) {
            if (read != null && (e instanceof NoSuchKeyException || e.statusCode() == 404 && !isNoSuchBucket(e))) {
                throw new NotFoundException(read);
            }
            throw failure(what, e);
        } catch (SdkException e) {
            throw failure(what, e);
        } finally {
            permits.release();
        }
    }

    private void acquire(String what) {
        try {
            if (!permits.tryAcquire(settings.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted before we could " + what));
        }
    }

    private UncheckedIOException timedOut(String what) {
        return new UncheckedIOException(new SocketTimeoutException("cannot " + what + " within " + settings.timeout()
                + ": the " + settings.concurrencyLimit() + " S3 permits stayed busy"));
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    private UncheckedIOException failure(String what, SdkException e) {
        return new UncheckedIOException("cannot " + what + " in " + this + ": " + e.getMessage(),
                new IOException(e.getMessage(), e));
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        String where = "s3://" + settings.bucket() + "/" + settings.prefixInBucket();
        return settings.endpoint() == null ? where : where + " at " + settings.endpoint();
    }
}
