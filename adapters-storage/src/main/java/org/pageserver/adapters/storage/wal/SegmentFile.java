package org.pageserver.adapters.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pageserver.adapters.storage.layer.Durable;

/**
 * A segment of the log: {@code <seq as 16 lower-case hex digits>.log}, starting with a header
 * {@code magic:u32 = 0x5053574C ("PSWL") | formatVersion:u16 = 1 | reserved:u16 | seq:u64}
 * (16 bytes), then records, then fewer than one block of zeros (the padding of direct I/O,
 * {@link AlignedAppender}; no record has length 0). The sequence number in the header guards
 * against a file renamed or copied under another segment's name.
 */
final class SegmentFile {
    static final int HEADER_SIZE = 16;
    private static final int MAGIC = 0x5053_574C;
    private static final short FORMAT_VERSION = 1;
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
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE)
                    .putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0).putLong(seq).flip();
            while (header.hasRemaining()) {
                channel.write(header);
            }
            channel.force(false);
        }
        Durable.syncDirectory(dir);
    }

    /** Why the header does not belong to segment {@code seq}, or null if it does. */
    static String checkHeader(ByteBuffer header, long seq) {
        int magic = header.getInt();
        if (magic != MAGIC) {
            return String.format("magic %08X is not an ingest log segment's %08X", magic, MAGIC);
        }
        short version = header.getShort();
        if (version != FORMAT_VERSION) {
            return "format version " + version + ", this server reads " + FORMAT_VERSION;
        }
        header.getShort();
        long inHeader = header.getLong();
        return inHeader == seq ? null : "the header says segment " + inHeader + " but the file is named for " + seq;
    }
}
