package org.pageserver.bootstrap;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.annotation.PreDestroy;
import org.pageserver.adapters.s3.LocalFsRemoteStorage;
import org.pageserver.adapters.s3.S3RemoteStorage;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.bootstrap.config.PageserverConfiguration;
import org.pageserver.bootstrap.config.RemoteStorageConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the remote storage by configuration alone (see {@link RemoteStorageConfiguration}). */
@Factory
class RemoteStorageFactory {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteStorageFactory.class);

    private S3RemoteStorage s3;

    /**
     * Built at start-up ({@code @Context}), not on first use: a misconfiguration stops the start
     * instead of the first upload, and the log says from the start where the objects go.
     */
    @Context
    RemoteStorage remoteStorage(RemoteStorageConfiguration remote, PageserverConfiguration pageserver) {
        if (remote.isS3()) {
            s3 = new S3RemoteStorage(remote.s3Settings());
            LOG.info("remote storage: S3 bucket {} (pageserver.remote-storage.bucket-name)", s3);
            return s3;
        }
        LocalFsRemoteStorage local = new LocalFsRemoteStorage(remote.localDirectory(pageserver.getWorkdir()));
        LOG.info("remote storage: {} ({})", local, remote.getLocalPath() != null ? "pageserver.remote-storage.local-path"
                : "the default; pageserver.remote-storage.local-path or bucket-name choose another");
        return local;
    }

    /** The S3 client's connection pool; the bean's type, RemoteStorage, has no close of its own. */
    @PreDestroy
    void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
