package org.pageserver.domain.page;

import java.nio.ByteBuffer;
import org.pageserver.domain.lsn.Lsn;

/**
 * A version of a key whose value is still in its binary form ({@link Value#encode()}): what an
 * in-memory layer hands its ingest file. Values are kept encoded in memory and written encoded to
 * layer files, so their bytes are copied through without decoding them (a profile of 8 KiB page
 * ingest put decoding and re-encoding them at a tenth of the server's CPU).
 *
 * <p>{@code value} holds exactly the encoded bytes, position 0 to limit; nobody moves its position.
 */
public record EncodedVersion(Key key, Lsn lsn, ByteBuffer value) {
    /** The encoded form of a decoded version. */
    public static EncodedVersion of(KeyVersion version) {
        return new EncodedVersion(version.key(), version.lsn(), ByteBuffer.wrap(version.value().encode()));
    }

    /** The value, decoded. */
    public Value decode() {
        return Value.decode(value.duplicate());
    }
}
