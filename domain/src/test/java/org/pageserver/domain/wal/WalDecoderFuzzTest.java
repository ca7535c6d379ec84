package org.pageserver.domain.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;

/**
 * Mutated valid batches: decoding either succeeds (and then the batch re-encodes to exactly the
 * bytes it came from, as the format has one encoding) or fails as BAD_REQUEST, never otherwise.
 */
class WalDecoderFuzzTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void mutatedBatchesAreDecodedOrRejectedAsBadRequest(long seed) {
        Random random = new Random(seed);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 2500; i++) {
            byte[] valid = WalEncoder.encode(WalFrames.randomRecords(random, 1 + random.nextInt(4)));
            byte[] body = mutate(random, valid);
            try {
                WalBatch batch = WalDecoder.decode(body);
                assertArrayEquals(body, WalEncoder.encode(batch.records()), "an accepted body has one encoding");
                accepted++;
            } catch (PageserverException e) {
                assertEquals(ErrorKind.BAD_REQUEST, e.kind(), e.getMessage());
                assertTrue(e.getMessage().startsWith("frame ") || e.getMessage().contains("empty"), e.getMessage());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("mutation " + i + " (seed " + seed + ") threw " + e, e);
            }
        }
        assertTrue(accepted > 100 && rejected > 100, accepted + " accepted, " + rejected + " rejected");
    }

    private static byte[] mutate(Random random, byte[] valid) {
        byte[] body = valid.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> body = Arrays.copyOf(body, random.nextInt(body.length));
            case 2 -> {
                byte[] longer = Arrays.copyOf(body, body.length + 1 + random.nextInt(30));
                for (int j = body.length; j < longer.length; j++) {
                    longer[j] = (byte) random.nextInt(256);
                }
                body = longer;
            }
            case 3 -> {
                // A length field moved by a little: the frames no longer line up.
                ByteBuffer b = ByteBuffer.wrap(body);
                b.putInt(0, b.getInt(0) + random.nextInt(21) - 10);
            }
            case 4 -> ByteBuffer.wrap(body).putInt(0, random.nextInt());
            case 5 -> {
                // A patch count or patch header somewhere in the first frame.
                int at = 13 + 13 + 4 + random.nextInt(Math.max(1, Math.min(20, body.length - 30)));
                if (at + 2 <= body.length) {
                    ByteBuffer.wrap(body).putShort(at, (short) random.nextInt(1 << 16));
                }
            }
            default -> {
                // The type byte of the first frame.
                body[12] = (byte) random.nextInt(8);
            }
        }
        return body;
    }
}
