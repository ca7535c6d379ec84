package org.pageserver.adapters.storage.wal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a segment's records in order up to their end (the file's end, or the zero padding of
 * direct I/O) or the first fault: a header that is not this segment's,
 * a record cut short, a length that cannot be, or a checksum that does not match. Whether a fault
 * is a torn tail or damage is the caller's call: it depends on where the segment is in the log.
 */
final class SegmentScanner {
    private SegmentScanner() {
    }

    interface RecordSink {
        void accept(LogRecord.Decoded record);
    }

    /**
     * @param validEnd where the last whole, intact record ends (0 if even the header is bad)
     * @param fault    why the segment's valid part ends before its file does; null if it does not
     */
    record Result(long validEnd, String fault) {
    }

    static Result scan(Path file, long seq, RecordSink sink) throws IOException {
        long size = Files.size(file);
        if (size < SegmentFile.HEADER_SIZE) {
            return new Result(0, "the segment header is cut short (" + size + " bytes)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            byte[] header = new byte[SegmentFile.HEADER_SIZE];
            in.readFully(header);
            String badHeader = SegmentFile.checkHeader(ByteBuffer.wrap(header), seq);
            if (badHeader != null) {
                return new Result(0, badHeader);
            }
            int mask = SegmentFile.crcMask(SegmentFile.version(ByteBuffer.wrap(header)), seq);
            long position = SegmentFile.HEADER_SIZE;
            while (position < size) {
                if (size - position < LogRecord.PREFIX) {
                    return new Result(position, "a record's length and checksum are cut short");
                }
                long length = in.readInt() & 0xFFFF_FFFFL;
                int crc = in.readInt();
                if (length == 0 && crc == 0) {
                    // No record has length 0: this is where the records end and padding begins.
                    return zerosToEnd(in, size - position - LogRecord.PREFIX)
                            ? new Result(position, null)
                            : new Result(position, "non-zero bytes after the zero padding that ends the records");
                }
                if (length < LogRecord.FIXED_BODY || length > size - position - LogRecord.PREFIX) {
                    return new Result(position, "a record of length " + length + " does not fit the "
                            + (size - position - LogRecord.PREFIX) + " bytes left");
                }
                byte[] body = new byte[(int) length];
                in.readFully(body);
                if ((LogRecord.crc(body, 0, body.length) ^ mask) != crc) {
                    return new Result(position, "checksum mismatch (a damaged or torn record, or one the reused file held before)");
                }
                sink.accept(LogRecord.decodeBody(body));
                position += LogRecord.PREFIX + length;
            }
            return new Result(position, null);
        }
    }

    private static boolean zerosToEnd(DataInputStream in, long left) throws IOException {
        byte[] chunk = new byte[8192];
        while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
            left -= n;
        }
        return true;
    }
}
