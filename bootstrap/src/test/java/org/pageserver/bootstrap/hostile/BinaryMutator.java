package org.pageserver.bootstrap.hostile;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Valid data-plane bodies (WAL batches, page-request batches) and mutations of them: flipped
 * bytes, length and count fields at their limits, bodies cut short or with garbage after them.
 */
final class BinaryMutator {
    private static final RelTag REL = Bystanders.REL;
    private static final int[] HOSTILE_U32 = {0, 1, 12, 25, 8192, 8193, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE};

    private BinaryMutator() {
    }

    /** One to four records of every type, at LSNs from {@code first} on. */
    static byte[] walBatch(Random random, Lsn first) {
        List<WalRecord> records = new ArrayList<>();
        Lsn lsn = first;
        for (int i = random.nextInt(4); i >= 0; i--) {
            lsn = lsn.plus(1 + random.nextInt(200));
            long blkno = random.nextInt(4);
            records.add(switch (random.nextInt(5)) {
                case 0 -> {
                    byte[] page = new byte[8192];
                    Arrays.fill(page, (byte) random.nextInt());
                    yield new WalRecord.PageImage(lsn, REL, blkno, page);
                }
                case 1 -> new WalRecord.PageDelta(lsn, REL, blkno,
                        List.of(new Patch(random.nextInt(8000), new byte[1 + random.nextInt(100)])));
                case 2 -> new WalRecord.RelSize(lsn, REL, random.nextInt(6));
                case 3 -> new WalRecord.RelDrop(lsn, REL);
                default -> new WalRecord.Commit(lsn, 1_700_000_000_000_000L + lsn.value());
            });
        }
        return WalEncoder.encode(records);
    }

    /** One to eight GetPage requests (25 bytes each) of the test relation, latest or at an LSN. */
    static byte[] pageRequests(Random random) {
        int count = 1 + random.nextInt(8);
        ByteBuffer out = ByteBuffer.allocate(count * 25);
        for (int i = 0; i < count; i++) {
            out.putInt((int) REL.spcnode()).putInt((int) REL.dbnode()).putInt((int) REL.relnode()).put((byte) REL.forknum())
                    .putInt(random.nextInt(4)).putLong(random.nextBoolean() ? 0 : Lsn.INITDB.plus(random.nextInt(10_000)).value());
        }
        return out.array();
    }

    /** One to three mutations of a valid body; a quarter of the bodies stay valid. */
    static byte[] mutate(Random random, byte[] valid) {
        if (random.nextInt(4) == 0) {
            return valid;
        }
        byte[] body = valid.clone();
        for (int i = random.nextInt(3); i >= 0; i--) {
            body = mutateOnce(random, body);
        }
        return body;
    }

    private static byte[] mutateOnce(Random random, byte[] body) {
        if (body.length == 0) {
            return new byte[] {(byte) random.nextInt()};
        }
        int at = random.nextInt(body.length);
        switch (random.nextInt(6)) {
            case 0 -> body[at] = (byte) random.nextInt();
            case 1 -> {
                // A length, count, block number or half an LSN at a limit; frames start on such fields.
                if (at + 4 <= body.length) {
                    ByteBuffer.wrap(body).putInt(at, HOSTILE_U32[random.nextInt(HOSTILE_U32.length)]);
                }
            }
            case 2 -> body = Arrays.copyOf(body, at);
            case 3 -> {
                byte[] longer = Arrays.copyOf(body, body.length + 1 + random.nextInt(64));
                for (int i = body.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt();
                }
                body = longer;
            }
            case 4 -> {
                // The same frames again: LSNs that do not grow.
                byte[] twice = Arrays.copyOf(body, body.length * 2);
                System.arraycopy(body, 0, twice, body.length, body.length);
                body = twice;
            }
            default -> body = new byte[0];
        }
        return body;
    }
}
