package org.pageserver.adapters.http.pageservice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into {@link PgFrame}s: start-up packets ({@code int32 length} including
 * itself, then the body) until the StartupMessage, typed messages ({@code byte type, int32 length}
 * including itself, then the body) after it. A length out of bounds is a protocol error: the
 * stream cannot be resynchronized, so the connection ends.
 */
final class PgFrameDecoder extends ByteToMessageDecoder {
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;
    /** Neon's bound on a start-up packet. */
    private static final int MAX_STARTUP = 10_000;
    /** Far above any pagestream request or query this port takes; stops a bogus length from buffering gigabytes. */
    private static final int MAX_MESSAGE = 1 << 20;

    private boolean started;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int headerSize = started ? 5 : 4;
            if (in.readableBytes() < headerSize) {
                return;
            }
            int at = in.readerIndex();
            byte type = started ? in.getByte(at) : PgFrame.STARTUP;
            int length = in.getInt(started ? at + 1 : at);
            int max = started ? MAX_MESSAGE : MAX_STARTUP;
            if (length < (started ? 4 : 8) || length > max) {
                throw new PgProtocolException(started ? "invalid message length " + length
                        : "invalid startup packet message length " + length);
            }
            int total = length + (started ? 1 : 0);
            if (in.readableBytes() < total) {
                return;
            }
            in.skipBytes(headerSize);
            ByteBuf body = in.readRetainedSlice(total - headerSize);
            if (!started) {
                int code = body.getInt(body.readerIndex());
                // An SSLRequest or GSSENCRequest is followed by another start-up packet.
                started = code != SSL_REQUEST && code != GSSENC_REQUEST;
            }
            out.add(new PgFrame(type, body));
        }
    }
}
