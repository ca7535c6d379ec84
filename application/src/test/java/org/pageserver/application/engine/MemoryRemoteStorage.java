package org.pageserver.application.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.remote.RemotePath;

/** Remote storage in memory, for tests: the port's semantics, and a switch that makes every call fail as an unreachable server does. */
final class MemoryRemoteStorage implements RemoteStorage {
    final Map<RemotePath, byte[]> objects = new ConcurrentSkipListMap<>();
    final AtomicInteger uploads = new AtomicInteger();
    volatile boolean down;

    private void reachable() {
        if (down) {
            throw new UncheckedIOException(new IOException("Connection refused"));
        }
    }

    @Override
    public void upload(Path file, RemotePath path) {
        reachable();
        try {
            objects.put(path, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        uploads.incrementAndGet();
    }

    @Override
    public void upload(byte[] bytes, RemotePath path) {
        reachable();
        objects.put(path, bytes.clone());
        uploads.incrementAndGet();
    }

    @Override
    public void download(RemotePath path, Path file) {
        try {
            Files.write(file, download(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] download(RemotePath path) {
        reachable();
        byte[] bytes = objects.get(path);
        if (bytes == null) {
            throw new NotFoundException(path);
        }
        return bytes.clone();
    }

    @Override
    public List<RemoteObject> list(RemotePath prefix) {
        reachable();
        List<RemoteObject> out = new ArrayList<>();
        objects.forEach((path, bytes) -> {
            if (path.isUnder(prefix)) {
                out.add(new RemoteObject(path, bytes.length));
            }
        });
        return out;
    }

    @Override
    public void delete(Collection<RemotePath> paths) {
        reachable();
        paths.forEach(objects::remove);
    }

    /** The names of the objects under a prefix, without it. */
    List<String> names(RemotePath prefix) {
        return list(prefix).stream().map(o -> o.path().name()).toList();
    }
}
