package org.pageserver.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The least an HTTP server can do: answer every request on a kept-alive connection with a fixed
 * small body, from a plain socket. The baseline for a loopback round trip.
 */
final class BareHttpServer implements AutoCloseable {
    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"id\":1}"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket socket;
    private final Thread thread;

    BareHttpServer() throws IOException {
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "bare-http");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        try (Socket connection = socket.accept()) {
            connection.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            while (skipRequest(in)) {
                out.write(ANSWER);
                out.flush();
            }
        } catch (IOException e) {
            // the benchmark closed the connection
        }
    }

    /** Reads one request's head (the benchmark sends no body); false at the end of the stream. */
    private static boolean skipRequest(InputStream in) throws IOException {
        int matched = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
