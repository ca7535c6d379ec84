package org.pageserver.adapters.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pageserver.adapters.storage.layer.Durable;

/**
 * A segment of the log: {@code <seq as 16 lower-case hex digits>.log}, starting with a header
 * {@code magic:u32 = 0x5053574C ("PSWL") | formatVersion:u16 = 2 | reserved:u16 | seq:u64}
 * (16 bytes), then records, then fewer than one block of zeros (the padding of direct I/O,
 * {@link AlignedAppender}; no record has length 0). The sequence number in the header guards
 * against a file renamed or copied under another segment's name.
 *
 * <p>Segment files are reused ({@link SpareSegments}): writing into blocks a file already has is
 * far cheaper to make durable than growing a file, whose new size and blocks every {@code fsync}
 * must commit to the file system's journal (on our VM, 1 MiB direct writes each synced: 1.8 to
 * 2.2 GB/s into an existing file against 1.0 to 1.3 GB/s into a growing one). A reused file may
 * hold its earlier records after this segment's end; version 2 masks every record's checksum
 * with the segment's sequence number ({@link #crcMask}), so those fail the check and end the
 * segment, like a torn write. A segment is cut to its end when it is sealed or closed, so that
 * only the last segment after a crash can hold such leftovers. Version 1 (no mask, files never
 * reused) is still read.
 */
final class SegmentFile {
    static final int HEADER_SIZE = 16;
    private static final int MAGIC = 0x5053_574C;
    private static final short FORMAT_VERSION = 2;
    private static final short UNMASKED_VERSION = 1;
    private static final String SUFFIX = ".log";

    private SegmentFile() {
    }

    static Path path(Path dir, long seq) {
        return dir.resolve(String.format("%016x", seq) + SUFFIX);
    }

    /** The sequence numbers of the segments in {@code dir}, ascending; other files are ignored. */
    static List<Long> list(Path dir) throws IOException {
        List<Long> seqs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String hex = name.substring(0, name.length() - SUFFIX.length());
                if (hex.length() == 16 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                        && path(dir, Long.parseUnsignedLong(hex, 16)).equals(entry)) {
                    seqs.add(Long.parseUnsignedLong(hex, 16));
                }
            }
        }
        Collections.sort(seqs);
        return seqs;
    }

    /**
     * Creates the segment with its header, both forced to disk before any record is written, so
     * that a segment holding more than a header always has a valid one: a bad header followed by
     * bytes is damage, never a crash artefact.
     */
    static void create(Path dir, long seq) throws IOException {
        try (FileChannel channel = FileChannel.open(path(dir, seq), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeHeader(channel, seq);
        }
        Durable.syncDirectory(dir);
    }

    /**
     * Makes the spare file {@code spare} segment {@code seq}: its header is written and forced
     * first, and only then is it renamed, so that a file under a segment's name always has that
     * segment's header. What it held after the header stays until overwritten.
     */
    static void reuse(Path spare, Path dir, long seq) throws IOException {
        try (FileChannel channel = FileChannel.open(spare, StandardOpenOption.WRITE)) {
            writeHeader(channel, seq);
        }
        Files.move(spare, path(dir, seq), StandardCopyOption.ATOMIC_MOVE);
        Durable.syncDirectory(dir);
    }

    private static void writeHeader(FileChannel channel, long seq) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE)
                .putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0).putLong(seq).flip();
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        channel.force(false);
    }

    /**
     * What the records' checksums are XORed with in a segment of this format version: in version
     * 2, a value no other sequence number below 2^32 shares (the low half folded with the high,
     * times an odd constant: a bijection), so a leftover record of an earlier segment fails.
     */
    static int crcMask(int version, long seq) {
        return version == UNMASKED_VERSION ? 0 : (int) (seq ^ (seq >>> 32)) * 0x9E37_79B1;
    }

    /** The format version of a header that {@link #checkHeader} accepted. */
    static int version(ByteBuffer header) {
        return header.getShort(4);
    }

    /** Whether the segment file {@code file}, whose header was found valid, is of the version this process writes. */
    static boolean isCurrentVersion(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
            while (header.hasRemaining()) {
                if (channel.read(header, header.position()) < 0) {
                    throw new IOException(file + ": the segment header is cut short");
                }
            }
            return version(header.flip()) == FORMAT_VERSION;
        }
    }

    /** The mask of the segment this process writes as {@code seq}. */
    static int crcMask(long seq) {
        return crcMask(FORMAT_VERSION, seq);
    }

    /** Why the header does not belong to segment {@code seq}, or null if it does. */
    static String checkHeader(ByteBuffer header, long seq) {
        int magic = header.getInt();
        if (magic != MAGIC) {
            return String.format("magic %08X is not an ingest log segment's %08X", magic, MAGIC);
        }
        short version = header.getShort();
        if (version != FORMAT_VERSION && version != UNMASKED_VERSION) {
            return "format version " + version + ", this server reads " + UNMASKED_VERSION + " and " + FORMAT_VERSION;
        }
        header.getShort();
        long inHeader = header.getLong();
        return inHeader == seq ? null : "the header says segment " + inHeader + " but the file is named for " + seq;
    }
}
