package org.pageserver.bootstrap.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP/1.1 over a bare socket, one request per connection. Hostile tests need it: the JDK client
 * refuses the very paths they send (raw {@code %}, quotes, non-ASCII) and always sends the body it
 * announces, where these tests announce one size and send another, or none. A response that does
 * not arrive within the timeout is a {@link Hung}, so a hanging request fails the test.
 */
final class RawHttp {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String host;
    private final int port;

    RawHttp(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** The server gave no complete answer in time. */
    static final class Hung extends IOException {
        Hung(String what) {
            super(what);
        }
    }

    /** A request with a body of known length ({@code body} null: no body, no Content-Length). */
    Response send(String method, String target, String contentType, byte[] body) throws IOException {
        try (Connection connection = open()) {
            StringBuilder head = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            connection.write(head.append("\r\n").toString());
            try {
                if (body != null) {
                    connection.out.write(body);
                }
                connection.out.flush();
            } catch (IOException closedEarly) {
                // A server may answer before it has read the body (413) and close; its answer is still there to read.
            }
            return connection.readResponse();
        }
    }

    /** A connection for tests that write the request themselves, piece by piece. */
    Connection open() throws IOException {
        return new Connection(new Socket(host, port), host);
    }

    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final String host;
        final OutputStream out;
        private final InputStream in;

        private Connection(Socket socket, String host) throws IOException {
            this.socket = socket;
            this.host = host;
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        /** Writes a request head: the request line, then the given header lines; Host and Connection are added. */
        void write(String head) throws IOException {
            int firstLineEnd = head.indexOf("\r\n");
            String withHost = head.substring(0, firstLineEnd + 2) + "Host: " + host + "\r\nConnection: close\r\n"
                    + head.substring(firstLineEnd + 2);
            out.write(withHost.getBytes(StandardCharsets.UTF_8));
        }

        void setTimeout(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
        }

        Response readResponse() throws IOException {
            try {
                String statusLine = line();
                if (statusLine == null) {
                    throw new IOException("connection closed without a response");
                }
                int status = Integer.parseInt(statusLine.substring(9, 12));
                Map<String, String> headers = new HashMap<>();
                for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
                }
                return new Response(status, headers, body(headers));
            } catch (SocketTimeoutException e) {
                throw new Hung("no complete response within " + socket.getSoTimeout() + " ms");
            }
        }

        private byte[] body(Map<String, String> headers) throws IOException {
            if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
                return body.toByteArray();
            }
            String length = headers.get("content-length");
            // Connection: close was asked for, so without a length the body runs to the end of the stream.
            return length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
