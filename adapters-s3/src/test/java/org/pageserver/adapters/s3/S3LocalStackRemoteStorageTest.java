package org.pageserver.adapters.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pageserver.application.port.out.RemoteStorage;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The contract on LocalStack's S3, a second implementation of the protocol beside S3Proxy. Needs
 * Docker, and is skipped without it. The image is pinned: LocalStack's {@code latest} asks for an
 * auth token since March 2026.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3LocalStackRemoteStorageTest extends RemoteStorageContractTest {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices("s3");
    static TestBuckets buckets;

    @BeforeAll
    static void connect() {
        buckets = new TestBuckets(LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion(), LOCALSTACK.getAccessKey(),
                LOCALSTACK.getSecretKey());
    }

    @AfterAll
    static void disconnect() {
        buckets.close();
    }

    @Override
    protected RemoteStorage newStorage() {
        return buckets.storage(buckets.newBucket(), null);
    }
}
