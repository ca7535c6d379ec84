package org.pageserver.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.pageserver.adapters.s3.S3RemoteStorage;
import org.pageserver.adapters.s3.S3Settings;
import org.pageserver.domain.remote.RemotePath;

/**
 * Uploads of layer-sized files through the server's S3 adapter ({@link S3RemoteStorage}) to S3Proxy
 * in this JVM, which keeps each object as a file on the same disk: 8 at a time (the server's upload
 * pool) and 1 at a time, beside copying the same files on that disk and a dd of as many bytes. It
 * measures the adapter and an S3 protocol server on one machine, not AWS.
 *
 * <p>Usage: {@code S3UploadBench <work directory> [files (10)] [MiB per file (64)]}; bench/s3upload.sh
 * builds the classpath.
 */
public final class S3UploadBench {
    private static final String BUCKET = "bench";

    private final Path workdir;
    private final List<Path> files = new ArrayList<>();
    private final Table rows = new Table("measurement", "value");
    private long bytes;

    private S3UploadBench(Path workdir) {
        this.workdir = workdir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: S3UploadBench <work directory> [files] [MiB per file]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int mib = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        new S3UploadBench(Path.of(args[0])).run(count, mib);
    }

    private void run(int count, int mib) throws Exception {
        createFiles(count, mib);
        Path s3 = Files.createDirectories(workdir.resolve("s3"));
        // Absolute: with a relative base directory S3Proxy 4.1.0 stores objects but lists none.
        FilesystemNio2BlobStore blobs = new FilesystemNio2BlobStore(s3.toAbsolutePath().toString());
        blobs.createContainer(BUCKET);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        // The credentials as the server gets them: the SDK's default chain, here system properties.
        System.setProperty("aws.accessKeyId", "access");
        System.setProperty("aws.secretAccessKey", "secret");
        // The server's defaults: 100 permits, 120 s a call; path-style, as for any endpoint.
        S3Settings settings = new S3Settings(BUCKET, "us-east-1", null, URI.create("http://127.0.0.1:" + proxy.getPort()));
        try (S3RemoteStorage storage = new S3RemoteStorage(settings)) {
            // Untimed: the first requests pay for class loading, JIT and connections.
            upload(storage, "warm-up", 8);
            forceAll(s3.resolve(BUCKET).resolve("warm-up"));
            for (int parallel : new int[] {8, 1}) {
                String prefix = "at-once-" + parallel;
                timed("S3 upload through S3RemoteStorage, " + parallel + " at a time",
                        () -> upload(storage, prefix, parallel));
                // S3Proxy writes each object to a temporary file and renames it, but never forces it:
                // what forcing them costs afterwards is the difference to the forced copy below.
                row("  ... then forcing the objects S3Proxy wrote (it does not)", "%.2f s",
                        forceAll(s3.resolve(BUCKET).resolve(prefix)));
            }
        } finally {
            proxy.stop();
        }
        timed("the same files copied on the same disk, each forced (baseline)", () -> copy(true));
        timed("the same files copied on the same disk, not forced (as S3Proxy writes)", () -> copy(false));
        forceAll(workdir.resolve("copy")); // Untimed: so that its write-back does not fall into dd's time.
        double dd = Dd.megabytesPerSecond(workdir, List.of("bs=1M", "count=" + (bytes >> 20), "conv=fdatasync"));
        row(String.format("dd sequential write, %,d MiB in 1 MiB blocks, one fdatasync", bytes >> 20), "%.0f MB/s", dd);
        for (String dir : List.of("layers", "s3", "copy-forced", "copy")) {
            deleteTree(workdir.resolve(dir));
        }
        rows.print();
        System.out.printf("Cores busy: this JVM's (the client and S3Proxy) / the whole machine's (%d cores), from"
                + " /proc/stat: the rest is other processes.%n", Runtime.getRuntime().availableProcessors());
    }

    /** Random bytes (nothing on the way can compress them), forced, so that no write-back is pending. */
    private void createFiles(int count, int mib) throws IOException {
        Path dir = Files.createDirectories(workdir.resolve("layers"));
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve("layer-" + i);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                for (int m = 0; m < mib; m++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
                channel.force(true);
            }
            files.add(file);
            bytes += Files.size(file);
        }
        System.out.printf("%d files of %d MiB in %s%n", count, mib, dir);
    }

    /** Uploads every file under {@code prefix/}, {@code parallel} at a time; the wall-clock seconds. */
    private double upload(S3RemoteStorage storage, String prefix, int parallel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            long started = System.nanoTime();
            List<Future<?>> uploads = new ArrayList<>();
            for (Path file : files) {
                RemotePath path = new RemotePath(prefix + "/" + file.getFileName());
                uploads.add(pool.submit(() -> storage.upload(file, path)));
            }
            for (Future<?> upload : uploads) {
                upload.get();
            }
            double secs = (System.nanoTime() - started) / 1e9;
            // Untimed: the bucket holds every byte, or the rate measured nothing.
            long stored = storage.list(new RemotePath(prefix)).stream().mapToLong(o -> o.size()).sum();
            if (stored != bytes) {
                throw new IllegalStateException(prefix + ": " + stored + " bytes stored of " + bytes);
            }
            return secs;
        } finally {
            pool.shutdown();
        }
    }

    /** Copies the files to a new directory, one after the other; the seconds it took. */
    private double copy(boolean force) throws IOException {
        Path dir = Files.createDirectories(workdir.resolve(force ? "copy-forced" : "copy"));
        long started = System.nanoTime();
        for (Path file : files) {
            Path target = dir.resolve(file.getFileName());
            Files.copy(file, target);
            if (force) {
                try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static double forceAll(Path dir) throws IOException {
        long started = System.nanoTime();
        try (Stream<Path> objects = Files.walk(dir)) {
            for (Path object : objects.filter(Files::isRegularFile).toList()) {
                try (FileChannel channel = FileChannel.open(object, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** The bench leaves no gigabytes behind (only what it wrote: the work directory may hold more). */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * A row of seconds, MB/s and cores busy: this JVM's (client and S3 server both) and the machine's,
     * whose other processes share its cores.
     */
    private void timed(String what, Callable<Double> work) throws Exception {
        long cpu = ProcessCpu.clientCpuNanos();
        long machine = ProcessCpu.machineBusyTicks();
        double secs = work.call();
        double jvmCores = (ProcessCpu.clientCpuNanos() - cpu) / 1e9 / secs;
        double machineCores = (ProcessCpu.machineBusyTicks() - machine) * ProcessCpu.SECONDS_PER_TICK / secs;
        row(what, "%.2f s (%.0f MB/s), cores busy %.1f / %.1f", secs, bytes / secs / 1e6, jvmCores, machineCores);
    }

    private void row(String what, String format, Object... values) {
        String value = String.format(format, values);
        rows.add(what, value);
        System.out.println(what + ": " + value);
    }
}
