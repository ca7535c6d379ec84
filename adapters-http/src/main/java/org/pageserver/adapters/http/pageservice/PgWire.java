package org.pageserver.adapters.http.pageservice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The server's messages of the PostgreSQL protocol (v3) that the page service sends, byte for
 * byte as Neon's: {@code byte type, int32 length} (including itself, not the type), then the body.
 */
final class PgWire {
    /** SQLSTATE of an ordinary error (Neon's default). */
    static final String INTERNAL_ERROR = "XX000";
    /** SQLSTATE of a broken connection. */
    static final String CONNECTION_FAILURE = "08006";
    /** SQLSTATE of too many connections. */
    static final String TOO_MANY_CONNECTIONS = "53300";

    private PgWire() {
    }

    /** The answer to an SSLRequest or GSSENCRequest: one byte, no encryption. */
    static ByteBuf noEncryption(ByteBufAllocator alloc) {
        return alloc.buffer(1).writeByte('N');
    }

    static ByteBuf authenticationOk(ByteBuf out) {
        return out.writeByte('R').writeInt(8).writeInt(0);
    }

    static ByteBuf authenticationCleartextPassword(ByteBuf out) {
        return out.writeByte('R').writeInt(8).writeInt(3);
    }

    static ByteBuf parameterStatus(ByteBuf out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        return out.writeByte('S').writeInt(4 + n.length + 1 + v.length + 1).writeBytes(n).writeByte(0).writeBytes(v).writeByte(0);
    }

    static ByteBuf readyForQuery(ByteBuf out) {
        return out.writeByte('Z').writeInt(5).writeByte('I');
    }

    /** CopyBothResponse: text format, no columns. */
    static ByteBuf copyBothResponse(ByteBuf out) {
        return out.writeByte('W').writeInt(7).writeByte(0).writeShort(0);
    }

    /** ErrorResponse with Neon's three fields: severity, SQLSTATE and message. */
    static ByteBuf errorResponse(ByteBuf out, String sqlState, String message) {
        // A NUL would end the field early; Neon refuses to send such a message at all.
        byte[] m = message.replace('\0', ' ').getBytes(StandardCharsets.UTF_8);
        byte[] c = sqlState.getBytes(StandardCharsets.US_ASCII);
        int length = 4 + 1 + 6 + 1 + c.length + 1 + 1 + m.length + 1 + 1;
        out.writeByte('E').writeInt(length);
        out.writeByte('S').writeBytes("ERROR".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        out.writeByte('C').writeBytes(c).writeByte(0);
        out.writeByte('M').writeBytes(m).writeByte(0);
        return out.writeByte(0);
    }

    /** The header of a CopyData message whose body is {@code bodyLength} bytes. */
    static ByteBuf copyDataHeader(ByteBuf out, int bodyLength) {
        return out.writeByte('d').writeInt(4 + bodyLength);
    }

    /** A C string of a message body: the bytes up to the NUL, which is consumed; the rest if there is none. */
    static String cString(ByteBuf body) {
        int end = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
        int stop = end < 0 ? body.writerIndex() : end;
        String text = body.toString(body.readerIndex(), stop - body.readerIndex(), StandardCharsets.UTF_8);
        body.readerIndex(end < 0 ? stop : end + 1);
        return text;
    }
}
