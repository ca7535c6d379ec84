package org.pageserver.bench;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelTag;

/**
 * The least a page service client can do: one blocking socket (TCP_NODELAY), GetPage requests
 * written from one template into a buffered stream, answers read into one buffer that the caller
 * reads in place. Requests may be pipelined ({@link #getPage} then {@link #flush}). The same client
 * measures the bare loopback baseline ({@link BareTcpServer}), which needs no start-up.
 */
final class PagestreamClient implements AutoCloseable {
    /** A GetPage request: 'd', int32 length, then the 27-byte request. */
    static final int REQUEST_SIZE = 1 + 4 + 27;
    /** A page's answer: 'd', int32 length, tag 102, the page. */
    static final int ANSWER_SIZE = 1 + 4 + 1 + Page.SIZE;
    static final int PAGE_TAG = 102;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] request = new byte[REQUEST_SIZE];
    private final byte[] buffer = new byte[1 << 18];
    private int start;
    private int end;
    private char type;
    private int bodyStart;
    private int bodyLength;

    /** A connection, not started: for the baseline, or before {@link #startup}. */
    PagestreamClient(int port, RelTag rel) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        // latest = 1 and lsn = 0: the newest LSN, as a primary compute asks when it has no better bound.
        ByteBuffer.wrap(request).put((byte) 'd').putInt(4 + 27).put((byte) 2).put((byte) 1).putLong(0)
                .putInt((int) rel.spcnode()).putInt((int) rel.dbnode()).putInt((int) rel.relnode())
                .put((byte) rel.forknum());
    }

    /** A connection in a pagestream of this timeline (start-up as libpq does it, trust authentication). */
    static PagestreamClient open(int port, RelTag rel, String tenant, String timeline) throws IOException {
        PagestreamClient c = new PagestreamClient(port, rel);
        c.startup();
        c.pagestream(tenant, timeline);
        return c;
    }

    void startup() throws IOException {
        byte[] params = "user\0bench\0database\0bench\0\0".getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array());
        out.flush();
        do {
            next();
            if (type == 'E') {
                throw new IOException("start-up refused: " + text());
            }
        } while (type != 'Z');
    }

    void pagestream(String tenant, String timeline) throws IOException {
        byte[] q = ("pagestream " + tenant + " " + timeline + "\0").getBytes(StandardCharsets.US_ASCII);
        out.write('Q');
        out.write(ByteBuffer.allocate(4).putInt(4 + q.length).array());
        out.write(q);
        out.flush();
        next();
        if (type != 'W') {
            throw new IOException("pagestream refused: '" + type + "' " + text());
        }
    }

    /** Queues a GetPage of this block (not flushed). */
    void getPage(int blkno) throws IOException {
        request[28] = (byte) (blkno >>> 24);
        request[29] = (byte) (blkno >>> 16);
        request[30] = (byte) (blkno >>> 8);
        request[31] = (byte) blkno;
        out.write(request);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Reads the next answer, which must be a page; its 8192 bytes are at {@link #page()}. */
    void readPage() throws IOException {
        next();
        if (type != 'd' || bodyLength != 1 + Page.SIZE || buffer[bodyStart] != (byte) PAGE_TAG) {
            throw new IOException("expected a page, got '" + type + "' of " + bodyLength + " bytes: " + text());
        }
    }

    /** The offset in {@link #buffer()} of the last page read. */
    int page() {
        return bodyStart + 1;
    }

    byte[] buffer() {
        return buffer;
    }

    /** Bytes received and not read yet (without a system call). */
    int buffered() {
        return end - start;
    }

    private void next() throws IOException {
        fill(5);
        type = (char) (buffer[start] & 0xFF);
        int length = ((buffer[start + 1] & 0xFF) << 24) | ((buffer[start + 2] & 0xFF) << 16)
                | ((buffer[start + 3] & 0xFF) << 8) | (buffer[start + 4] & 0xFF);
        if (length < 4 || length > buffer.length - 1) {
            throw new IOException("bad message length " + length);
        }
        fill(1 + length);
        bodyStart = start + 5;
        bodyLength = length - 4;
        start += 1 + length;
    }

    /** At least {@code n} bytes buffered from {@code start}. */
    private void fill(int n) throws IOException {
        if (end - start >= n) {
            return;
        }
        if (start + n > buffer.length) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < n) {
            int got = in.read(buffer, end, buffer.length - end);
            if (got < 0) {
                throw new EOFException("the server closed the connection");
            }
            end += got;
        }
    }

    /** The last message's body as text (an error's fields). */
    private String text() {
        return new String(buffer, bodyStart, Math.max(0, bodyLength), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
