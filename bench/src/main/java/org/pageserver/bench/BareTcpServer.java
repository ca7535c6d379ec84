package org.pageserver.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * The least a page server can do on loopback: read a message of a GetPage request's size (32
 * bytes) and answer one of a page's answer's size (8198 bytes), from a plain socket, a thread a
 * connection. The baseline of the page service's latency, and (pipelined) a ceiling for its
 * throughput on the machine: the same bytes through loopback with nothing else to do.
 */
final class BareTcpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final byte[] answer;

    BareTcpServer() throws IOException {
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        ByteBuffer a = ByteBuffer.allocate(PagestreamClient.ANSWER_SIZE);
        a.put((byte) 'd').putInt(PagestreamClient.ANSWER_SIZE - 1).put((byte) PagestreamClient.PAGE_TAG);
        answer = a.array();
        Thread thread = new Thread(this::serve, "bare-tcp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread thread = new Thread(() -> answer(connection), "bare-tcp-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                // the benchmark closed the server socket
            }
        }
    }

    /** One answer a request, each written at once (no batching of pipelined answers). */
    private void answer(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(connection.getInputStream(), 1 << 16);
            OutputStream out = connection.getOutputStream();
            while (in.readNBytes(PagestreamClient.REQUEST_SIZE).length == PagestreamClient.REQUEST_SIZE) {
                out.write(answer);
            }
        } catch (IOException e) {
            // the benchmark closed the connection
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
