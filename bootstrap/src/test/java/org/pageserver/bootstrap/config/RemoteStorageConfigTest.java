package org.pageserver.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.s3.LocalFsRemoteStorage;
import org.pageserver.adapters.s3.S3RemoteStorage;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.application.port.out.RemoteStorage.RemoteObject;
import org.pageserver.domain.remote.RemotePath;

/** Which remote storage the settings of {@link RemoteStorageConfiguration} give, and what stops the start. */
class RemoteStorageConfigTest {
    private static final RemotePath INDEX = new RemotePath("tenants/a/timelines/b/index_part.json-00000001");

    @TempDir
    Path workdir;

    private ApplicationContext start(String... settings) {
        Map<String, Object> properties = new HashMap<>(Map.of("pageserver.workdir", workdir.toString()));
        for (int i = 0; i < settings.length; i += 2) {
            properties.put(settings[i], settings[i + 1]);
        }
        return ApplicationContext.run(properties);
    }

    @Test
    void noSettingGivesTheDirectoryRemoteStorageInTheWorkdir() {
        try (ApplicationContext context = start()) {
            LocalFsRemoteStorage storage = assertInstanceOf(LocalFsRemoteStorage.class, context.getBean(RemoteStorage.class));
            assertEquals(workdir.resolve("remote_storage").toAbsolutePath(), storage.root());

            storage.upload("x".getBytes(), INDEX);
            assertTrue(Files.isRegularFile(workdir.resolve("remote_storage").resolve(INDEX.value())));
        }
    }

    @Test
    void localPathGivesThatDirectoryAndARelativeOneLiesInTheWorkdir(@TempDir Path elsewhere) {
        try (ApplicationContext context = start("pageserver.remote-storage.local-path", elsewhere.toString())) {
            assertEquals(elsewhere.toAbsolutePath(), ((LocalFsRemoteStorage) context.getBean(RemoteStorage.class)).root());
        }
        try (ApplicationContext context = start("pageserver.remote-storage.local-path", "shared/remote")) {
            assertEquals(workdir.resolve("shared/remote").toAbsolutePath(),
                    ((LocalFsRemoteStorage) context.getBean(RemoteStorage.class)).root());
        }
    }

    @Test
    void bucketSettingsGiveAnS3RemoteStorageThatUploadsAndLists() throws Exception {
        TransientNio2BlobStore blobs = new TransientNio2BlobStore();
        blobs.createContainer("pageserver-bucket");
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        proxy.start();
        // The default credentials chain reads these, as it would AWS_ACCESS_KEY_ID in production.
        System.setProperty("aws.accessKeyId", "access");
        System.setProperty("aws.secretAccessKey", "secret");
        try {
            RemoteStorage storage;
            try (ApplicationContext context = start(
                    "pageserver.remote-storage.bucket-name", "pageserver-bucket",
                    "pageserver.remote-storage.bucket-region", "eu-central-1",
                    "pageserver.remote-storage.prefix-in-bucket", "node-1",
                    "pageserver.remote-storage.endpoint", "http://127.0.0.1:" + proxy.getPort(),
                    "pageserver.remote-storage.concurrency-limit", "4",
                    "pageserver.remote-storage.timeout", "10s")) {
                storage = assertInstanceOf(S3RemoteStorage.class, context.getBean(RemoteStorage.class));

                storage.upload("index".getBytes(), INDEX);
                assertEquals(List.of(new RemoteObject(INDEX, 5)), storage.list(new RemotePath("tenants/a")));
                assertTrue(blobs.blobExists("pageserver-bucket", "node-1/" + INDEX.value()));
            }
            // Closed with the context: its connection pool is gone.
            RemoteStorage closed = storage;
            assertThrows(RuntimeException.class, () -> closed.list(new RemotePath("tenants/a")));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            proxy.stop();
        }
    }

    @Test
    void aLocalPathAndABucketTogetherStopTheStartNamingBoth() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> start(
                "pageserver.remote-storage.local-path", "remote",
                "pageserver.remote-storage.bucket-name", "bucket",
                "pageserver.remote-storage.bucket-region", "eu-central-1").close());

        String message = rootMessage(failure);
        assertTrue(message.contains("pageserver.remote-storage.local-path")
                && message.contains("pageserver.remote-storage.bucket-name"), message);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
