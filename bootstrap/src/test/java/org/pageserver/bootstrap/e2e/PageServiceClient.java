package org.pageserver.bootstrap.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;

/**
 * A client of the page service that writes and reads the PostgreSQL protocol byte by byte, as a
 * compute's libpq does: the tests see every byte the server sends.
 */
public final class PageServiceClient implements AutoCloseable {
    /** A message from the server: its type and its body (without type and length). */
    public record Message(char type, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as a pagestream answer: its tag. */
        public int tag() {
            return body[0] & 0xFF;
        }

        /** The field of an ErrorResponse with this code ('S', 'C', 'M'), or null. */
        public String field(char code) {
            int at = 0;
            while (at < body.length && body[at] != 0) {
                int end = at + 1;
                while (body[end] != 0) {
                    end++;
                }
                if (body[at] == code) {
                    return new String(body, at + 1, end - at - 1, StandardCharsets.UTF_8);
                }
                at = end + 1;
            }
            return null;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    public PageServiceClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
            out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SSLRequest: the server answers one byte. */
    public int sslRequest() {
        send(() -> {
            out.writeInt(8);
            out.writeInt(80877103);
        });
        return readByte();
    }

    /** A StartupMessage of protocol 3.0 with these parameters, as libpq sends it. */
    public void startup(Map<String, String> parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parameters.forEach((k, v) -> {
            body.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            body.write(0);
            body.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        });
        body.write(0);
        send(() -> {
            out.writeInt(8 + body.size());
            out.writeInt(196608);
            out.write(body.toByteArray());
        });
    }

    /** Start-up without a password: everything up to and with ReadyForQuery. */
    public void connect() {
        startup(Map.of("user", "no_user", "database", "no_user"));
        Message last;
        do {
            last = read();
        } while (last.type() != 'Z');
    }

    public void password(String token) {
        message('p', (token + "\0").getBytes(StandardCharsets.UTF_8));
    }

    public void query(String query) {
        message('Q', (query + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code pagestream <tenant> <timeline>}: true if the server answered CopyBothResponse. */
    public boolean pagestream(String tenant, String timeline) {
        query("pagestream " + tenant + " " + timeline);
        Message answer = read();
        if (answer.type() == 'W') {
            return true;
        }
        read(); // ReadyForQuery after the error
        return false;
    }

    public void copyData(byte[] data) {
        message('d', data);
    }

    /** A typed message, sent at once. */
    public void message(char type, byte[] body) {
        send(() -> {
            out.writeByte(type);
            out.writeInt(4 + body.length);
            out.write(body);
        });
    }

    /** Writes without flushing: for pipelining. */
    public void queue(char type, byte[] body) {
        try {
            out.writeByte(type);
            out.writeInt(4 + body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        send(() -> {
        });
    }

    /** Raw bytes, for protocol errors. */
    public void raw(byte[] bytes) {
        send(() -> out.write(bytes));
    }

    public Message read() {
        try {
            char type = (char) in.readUnsignedByte();
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            return new Message(type, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next CopyData's body (a pagestream answer). */
    public byte[] answer() {
        Message message = read();
        if (message.type() != 'd') {
            throw new AssertionError("expected CopyData, got '" + message.type() + "': " + message.text());
        }
        return message.body();
    }

    /** Bytes received and not read yet. */
    public int available() {
        try {
            return in.available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server closed the connection (the next read finds the end of the stream). */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private int readByte() {
        try {
            return in.readUnsignedByte();
        } catch (EOFException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private void send(Write write) {
        try {
            write.run();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- pagestream requests, big-endian: tag, latest, lsn, then the relation or database ----

    public static byte[] exists(boolean latest, Lsn lsn, RelTag rel) {
        return rel(0, latest, lsn, rel, 23).array();
    }

    public static byte[] nblocks(boolean latest, Lsn lsn, RelTag rel) {
        return rel(1, latest, lsn, rel, 23).array();
    }

    public static byte[] getPage(boolean latest, Lsn lsn, RelTag rel, long blkno) {
        return rel(2, latest, lsn, rel, 27).putInt((int) blkno).array();
    }

    public static byte[] dbSize(boolean latest, Lsn lsn, long dbnode) {
        return ByteBuffer.allocate(14).put((byte) 3).put((byte) (latest ? 1 : 0)).putLong(lsn.value()).putInt((int) dbnode)
                .array();
    }

    private static ByteBuffer rel(int tag, boolean latest, Lsn lsn, RelTag rel, int size) {
        return ByteBuffer.allocate(size).put((byte) tag).put((byte) (latest ? 1 : 0)).putLong(lsn.value())
                .putInt((int) rel.spcnode()).putInt((int) rel.dbnode()).putInt((int) rel.relnode()).put((byte) rel.forknum());
    }
}
