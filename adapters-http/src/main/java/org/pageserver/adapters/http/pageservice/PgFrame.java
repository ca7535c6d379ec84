package org.pageserver.adapters.http.pageservice;

import io.netty.buffer.ByteBuf;

/**
 * One message from the client: a start-up packet ({@link #STARTUP}: no type byte) or a typed
 * message ('Q', 'p', 'd', 'X', ...). The body excludes the type byte and the length; the receiver
 * releases it.
 */
record PgFrame(byte type, ByteBuf body) {
    /** The type of the packets before the StartupMessage, which have none on the wire. */
    static final byte STARTUP = 0;
}
