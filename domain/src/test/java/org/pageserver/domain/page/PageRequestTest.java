package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;

class PageRequestTest {

    @Test
    void roundTripsWithAndWithoutLsn() {
        List<PageRequest> requests = List.of(
                new PageRequest(new RelTag(1663, 16384, 16385, 0), 0, null),
                new PageRequest(new RelTag(0xFFFF_FFFFL, 0x8000_0000L, 1, 255), 0xFFFF_FFFEL, Lsn.of(0x16B5A50)),
                new PageRequest(new RelTag(1, 2, 3, 1), 7, Lsn.MAX));
        byte[] body = PageRequest.encodeAll(requests);
        assertEquals(3 * PageRequest.ENCODED_SIZE, body.length);
        assertEquals(25, PageRequest.ENCODED_SIZE);
        assertEquals(requests, PageRequest.decodeAll(body));
        assertArrayEquals(body, PageRequest.encodeAll(PageRequest.decodeAll(body)));
    }

    @Test
    void lsnZeroMeansLatest() {
        byte[] body = PageRequest.encodeAll(List.of(new PageRequest(new RelTag(1, 2, 3, 0), 4, null)));
        for (int i = 17; i < 25; i++) {
            assertEquals(0, body[i]);
        }
        assertNull(PageRequest.decodeAll(body).get(0).lsn());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 24, 26, 49, 51})
    void rejectsBodiesThatAreNotWholeRequests(int length) {
        PageserverException e = assertThrows(PageserverException.class, () -> PageRequest.decodeAll(new byte[length]));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().contains(String.valueOf(length)), e.getMessage());
    }

    @Test
    void aBatchHoldsAtMost4096Requests() {
        assertEquals(PageRequest.MAX_BATCH, PageRequest.decodeAll(new byte[PageRequest.MAX_BATCH * PageRequest.ENCODED_SIZE]).size());
        org.pageserver.domain.error.PageserverException tooMany = org.junit.jupiter.api.Assertions.assertThrows(
                org.pageserver.domain.error.PageserverException.class,
                () -> PageRequest.decodeAll(new byte[(PageRequest.MAX_BATCH + 1) * PageRequest.ENCODED_SIZE]));
        assertEquals("a batch holds at most 4096 page requests, not 4097", tooMany.getMessage());
    }
}
