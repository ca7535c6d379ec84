package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.Map;
import java.util.TreeSet;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.IndexPartJson;
import org.pageserver.domain.remote.RemotePath;

/**
 * A server on an S3 bucket (S3Proxy in this JVM, a real S3 protocol server) whose S3 server stops
 * in the middle of the work: ingest, flushes and reads go on without an error, the timeline's
 * remote_consistent_lsn stays where the last index upload left it, and once the server is back
 * (on the same port, with the same objects) the bucket catches up: an index naming every local
 * layer, each object there.
 */
class S3OutageTest {
    private static final String BUCKET = "pageserver-bucket";
    private static final RelTag REL = PageRounds.REL;

    @TempDir
    java.nio.file.Path workdir;

    private final TransientNio2BlobStore blobs = new TransientNio2BlobStore();
    private S3Proxy proxy;
    private EmbeddedServer server;
    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private final String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
    private final PageRounds rounds = new PageRounds(base);

    private S3Proxy startProxy(int port) throws Exception {
        S3Proxy started = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        started.start();
        while (!"STARTED".equals(started.getState())) {
            Thread.sleep(10);
        }
        return started;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }



    /** Starts S3Proxy and a server on its bucket with {@code settings} besides; returns the proxy's port. */
    private int startServerOnBucket(Map<String, Object> settings) throws Exception {
        blobs.createContainer(BUCKET);
        proxy = startProxy(0);
        int port = proxy.getPort();
        System.setProperty("aws.accessKeyId", "access");
        System.setProperty("aws.secretAccessKey", "secret");
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.putAll(Map.of("pageserver.workdir", workdir.toString(),
                "micronaut.server.port", -1,
                "pageserver.remote-storage.bucket-name", BUCKET,
                "pageserver.remote-storage.bucket-region", "us-east-1",
                "pageserver.remote-storage.endpoint", "http://127.0.0.1:" + port));
        server = ApplicationContext.run(EmbeddedServer.class, all);
        return port;
    }

    /** The bucket through the server's own remote storage adapter. */
    private RemoteStorage bucket() {
        return server.getApplicationContext().getBean(RemoteStorage.class);
    }

    @Test
    void whileTheS3ServerIsDownNothingFailsAndTheBucketCatchesUpWhenItReturns() throws Exception {
        int port = startServerOnBucket(Map.<String, Object>of("pageserver.remote-storage.timeout", "5s"));
        Api api = new Api(server);
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":2}").status());
        assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        rounds.round(api, 1);
        Lsn firstRound = rounds.last();
        api.await(base, r -> firstRound.toString().equals(r.object().get("remote_consistent_lsn")));

        proxy.stop();
        for (int r = 2; r <= 4; r++) {
            rounds.round(api, r);
            assertArrayEquals(PageRounds.page(r), api.getBytes(base + "/page?rel=" + REL + "&blkno=3").body(), "reads see no error");
        }
        // Longer than a call may take (timeout 5s, the SDK's own retries within it): calls fail, rounds back off.
        Thread.sleep(7_000);
        assertEquals(firstRound.toString(), api.get(base).object().get("remote_consistent_lsn"),
                "nothing uploaded while the server is down");
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> layers = (java.util.List<Map<String, Object>>) api.get(base + "/layer").object()
                .get("historic_layers");
        Api.Response notUploaded = api.delete(base + "/layer/" + layers.get(0).get("layer_file_name"));
        assertEquals(409, notUploaded.status(), "a layer not uploaded is never evicted: " + notUploaded.body());

        proxy = startProxy(port);
        api.await(base, r -> rounds.last().toString().equals(r.object().get("remote_consistent_lsn")));
        RemotePath prefix = RemotePath.timeline(TenantId.parse(tenant), TimelineId.parse(timeline));
        IndexPart index = IndexPartJson.read(bucket().download(prefix.child("index_part.json-00000002")));
        assertEquals(rounds.last(), index.diskConsistentLsn());
        assertEquals(4, index.layers().size(), "one layer a round");
        TreeSet<String> expected = new TreeSet<>();
        index.layers().keySet().forEach(name -> expected.add(name.fileName() + "-00000002"));
        expected.add("index_part.json-00000002");
        assertEquals(expected, new TreeSet<>(bucket().list(prefix).stream().map(o -> o.path().name()).toList()));
        assertTrue(api.get("/metrics").body().contains("pageserver_remote_operation_seconds_count{file_kind=\"layer\",op_kind=\"upload\",status=\"failure\""),
                "the failed uploads are counted");
    }

    /**
     * A detach while the S3 server is down cannot put the acknowledged writes in the bucket: it
     * answers 503 after its wait, and the tenant stays Active, taking writes and serving reads. Once
     * the server is back, the detach goes through, and an attach finds every write.
     */
    @Test
    void aDetachWhileTheS3ServerIsDownKeepsTheTenantAndSucceedsOnceItIsBack() throws Exception {
        int port = startServerOnBucket(Map.<String, Object>of("pageserver.remote-storage.timeout", "2s",
                "pageserver.remote-storage.detach-upload-wait", "3s"));
        Api api = new Api(server);
        String tenantPath = "/v1/tenant/" + tenant;
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
        assertEquals(201, api.post(tenantPath + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        rounds.round(api, 1);

        proxy.stop();
        rounds.round(api, 2);
        Api.Response refused = api.post(tenantPath + "/detach", "");
        assertEquals(503, refused.status(), refused.body());
        assertTrue(refused.body().contains("remote storage has not caught up"), refused.body());
        assertTrue(api.get(tenantPath).body().contains("\"Active\""), "the tenant stays");
        rounds.round(api, 3);
        assertArrayEquals(PageRounds.page(3), api.getBytes(base + "/page?rel=" + REL + "&blkno=3").body(), "and serves");

        proxy = startProxy(port);
        Api.Response detach = api.post(tenantPath + "/detach", "");
        assertEquals(200, detach.status(), detach.body());
        assertEquals(202, api.post(tenantPath + "/attach", "").status());
        api.await(tenantPath, r -> r.status() == 200 && r.body().contains("\"Active\""));
        assertEquals(rounds.last().toString(), api.get(base).object().get("last_record_lsn"));
        assertArrayEquals(PageRounds.page(3), api.getBytes(base + "/page?rel=" + REL + "&blkno=3").body());
    }
}
