package org.pageserver.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.adapters.http.support.FakeDataPlane.Call;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.page.RelTag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reads: GET …/page, rel_size, rel_exists, db_size and POST …/pages. */
@MicronautTest
class PageApiTest extends DataPlaneTestBase {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    private static byte[] page(int seed) {
        byte[] page = new byte[8192];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) (i * 31 + seed);
        }
        return page;
    }

    private static void assertJson(Reply reply) {
        assertTrue(reply.contentType().startsWith("application/json"), reply::toString);
    }

    private static void assertBadParam(Reply reply, String param) {
        assertEquals(400, reply.status(), reply::toString);
        assertJson(reply);
        assertTrue(reply.msg().contains(param), param + " not named in: " + reply.msg());
    }

    @Test
    void pageIsTheRawBytesAsOctetStream() {
        byte[] page = page(7);
        timeline().putPage(REL, 3, page);
        Reply reply = api().get(path("page?rel=1663/16384/16385/0&blkno=3"));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(MediaType.APPLICATION_OCTET_STREAM, reply.contentType());
        assertArrayEquals(page, reply.bytes());
        assertEquals(new Call("getPage", REL, 3, null, 0), timeline().lastCall);
    }

    @Test
    void theLsnIsPassedOnAndAbsentMeansLatest() {
        timeline().putPage(REL, 0, page(1));
        assertEquals(200, api().get(path("page?rel=1663/16384/16385/0&blkno=0&lsn=1/a0")).status());
        assertEquals(Lsn.of(0x1_0000_00A0L), timeline().lastCall.lsn());
        assertEquals(200, api().get(path("rel_size?rel=1663/16384/16385/0&lsn=0/16B5A50")).status());
        assertEquals(Lsn.of(0x16B5A50L), timeline().lastCall.lsn());
        assertEquals(200, api().get(path("rel_exists?rel=1663/16384/16385/0")).status());
        assertNull(timeline().lastCall.lsn());
        assertEquals(200, api().get(path("db_size?spcnode=1663&dbnode=16384&lsn=0/2")).status());
        assertEquals(Lsn.of(2), timeline().lastCall.lsn());
    }

    /** Micronaut's content negotiation, kept: the answer says what the route can give, in the usual shape. */
    @Test
    void aClientThatRefusesOctetStreamGets406WithMsg() {
        timeline().putPage(REL, 0, page(0));
        Reply reply = api().send(HttpRequest.GET(path("page?rel=1663/16384/16385/0&blkno=0")).accept(MediaType.APPLICATION_JSON));
        assertEquals(406, reply.status(), reply::toString);
        assertJson(reply);
        assertTrue(reply.msg().contains("application/octet-stream"), reply.msg());
    }

    @Test
    void aMissingBlockIs404AsJson() {
        Reply reply = api().get(path("page?rel=1663/16384/16385/0&blkno=9"));
        assertEquals(404, reply.status(), reply::toString);
        assertJson(reply);
        assertEquals("NotFound: block 9 of relation 1663/16384/16385/0 does not exist", reply.msg());
    }

    @Test
    void anLsnThatDidNotArriveIs503AndOneBelowTheCutoffIs400() {
        timeline().failure = PageserverException.unavailable("Timed out while waiting for WAL record at LSN 5/0 to arrive");
        Reply late = api().get(path("page?rel=1663/16384/16385/0&blkno=0&lsn=5/0"));
        assertEquals(503, late.status(), late::toString);
        assertJson(late);
        assertEquals("Timed out while waiting for WAL record at LSN 5/0 to arrive", late.msg());

        timeline().failure = new PageserverException(ErrorKind.BAD_REQUEST, "LSN 0/1 is below the GC cutoff 0/2000000");
        Reply old = api().get(path("rel_size?rel=1663/16384/16385/0&lsn=0/1"));
        assertEquals(400, old.status(), old::toString);
        assertEquals("LSN 0/1 is below the GC cutoff 0/2000000", old.msg());
    }

    @Test
    void relSizeExistsAndDbSizeAnswerJson() {
        timeline().putPage(REL, 4, page(0));
        timeline().relSizes.put(new RelTag(1663, 16384, 16386, 1), 2L);
        timeline().relSizes.put(new RelTag(1663, 99, 1, 0), 100L);

        Reply size = api().get(path("rel_size?rel=1663/16384/16385/0"));
        assertEquals(200, size.status(), size::toString);
        assertJson(size);
        assertEquals("{\"nblocks\":5}", size.body());

        assertEquals("{\"exists\":true}", api().get(path("rel_exists?rel=1663/16384/16385/0")).body());
        assertEquals("{\"exists\":false}", api().get(path("rel_exists?rel=1663/16384/1/0")).body());

        Reply db = api().get(path("db_size?spcnode=1663&dbnode=16384"));
        assertEquals(200, db.status(), db::toString);
        assertEquals("{\"bytes\":" + 7 * 8192 + "}", db.body());
        assertEquals(new RelTag(1663, 16384, 0, 0), timeline().lastCall.rel());
        assertEquals("{\"bytes\":0}", api().get(path("db_size?spcnode=1&dbnode=4294967295")).body());
    }

    @Test
    void relSizeOfAnAbsentRelationIs404() {
        Reply reply = api().get(path("rel_size?rel=1663/16384/16385/0"));
        assertEquals(404, reply.status(), reply::toString);
        assertEquals("NotFound: relation 1663/16384/16385/0 does not exist", reply.msg());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "page?blkno=0                                   | no rel specified",
            "page?rel=1663/16384/16385&blkno=0              | query param rel",
            "page?rel=1663/16384/16385/256&blkno=0          | query param rel",
            "page?rel=a/b/c/d&blkno=0                       | query param rel",
            "page?rel=1663/16384/16385/0                    | no blkno specified",
            "page?rel=1663/16384/16385/0&blkno=-1           | query param blkno",
            "page?rel=1663/16384/16385/0&blkno=x            | query param blkno",
            "page?rel=1663/16384/16385/0&blkno=             | query param blkno",
            "page?rel=1663/16384/16385/0&blkno=4294967295   | query param blkno",
            "page?rel=1663/16384/16385/0&blkno=4294967296   | query param blkno",
            "page?rel=1663/16384/16385/0&blkno=99999999999999999999 | query param blkno",
            "page?rel=1663/16384/16385/0&blkno=0&lsn=16B5A50 | query param lsn",
            "page?rel=1663/16384/16385/0&blkno=0&lsn=1234    | query param lsn",
            "page?rel=1663/16384/16385/0&blkno=0&lsn=0/0     | Invalid LSN: query param lsn",
            "page?rel=1663/16384/16385/0&blkno=0&lsn=0/x     | query param lsn",
            "rel_size?lsn=0/1                               | no rel specified",
            "rel_size?rel=1663/16384/16385/0&lsn=           | query param lsn",
            "rel_exists?rel=/16384/16385/0                  | query param rel",
            "db_size?dbnode=1                               | no spcnode specified",
            "db_size?spcnode=1                              | no dbnode specified",
            "db_size?spcnode=1&dbnode=4294967296            | query param dbnode",
            "db_size?spcnode=+1&dbnode=1                    | query param spcnode",
            "db_size?spcnode=1&dbnode=1&lsn=0/0             | Invalid LSN",
    })
    void badParametersAre400NamingThem(String query, String named) {
        assertBadParam(api().get(path(query)), named);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "page?rel=1663/16384/16385/0&rel=1663/16384/16385/0&blkno=0 | param rel specified more than once",
            "page?rel=1663/16384/16385/0&blkno=0&blkno=0                | param blkno specified more than once",
            "rel_size?rel=1663/16384/16385/0&lsn=0/1&lsn=0/1            | param lsn specified more than once",
            "db_size?spcnode=1&spcnode=1&dbnode=1                       | param spcnode specified more than once",
    })
    void duplicatedParametersAre400(String query, String msg) {
        Reply reply = api().get(path(query));
        assertEquals(400, reply.status(), reply::toString);
        assertEquals(msg, reply.msg());
    }

    @Test
    void badIdsAre400NamingTheField() {
        Reply reply = api().get("/v1/tenant/" + tenant + "/timeline/0123/page?rel=1663/16384/16385/0&blkno=0");
        assertBadParam(reply, "failed to parse timeline_id");
    }

    @Test
    void batchAnswersThePagesConcatenatedInRequestOrder() {
        RelTag other = new RelTag(1663, 16384, 16390, 2);
        timeline().putPage(REL, 0, page(1));
        timeline().putPage(REL, 1, page(2));
        timeline().putPage(other, 0, page(3));
        List<PageRequest> requests = List.of(new PageRequest(REL, 1, Lsn.of(0x1000000)), new PageRequest(other, 0, null),
                new PageRequest(REL, 0, null), new PageRequest(REL, 1, null));
        Reply reply = api().sendBytes(HttpRequest.POST(path("pages"), PageRequest.encodeAll(requests)),
                MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(MediaType.APPLICATION_OCTET_STREAM, reply.contentType());
        assertEquals(4 * 8192, reply.bytes().length);
        assertArrayEquals(page(2), Arrays.copyOfRange(reply.bytes(), 0, 8192));
        assertArrayEquals(page(3), Arrays.copyOfRange(reply.bytes(), 8192, 2 * 8192));
        assertArrayEquals(page(1), Arrays.copyOfRange(reply.bytes(), 2 * 8192, 3 * 8192));
        assertArrayEquals(page(2), Arrays.copyOfRange(reply.bytes(), 3 * 8192, 4 * 8192));
    }

    @Test
    void batchBodyMustBeWholeRequests() {
        byte[] body = PageRequest.encodeAll(List.of(new PageRequest(REL, 0, null)));
        Reply cut = api().sendBytes(HttpRequest.POST(path("pages"), Arrays.copyOf(body, 24)),
                MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(400, cut.status(), cut::toString);
        assertJson(cut);
        assertTrue(cut.msg().contains("multiple of 25 bytes, not 24"), cut.msg());
        Reply empty = api().sendBytes(HttpRequest.POST(path("pages"), new byte[0]), MediaType.APPLICATION_OCTET_STREAM_TYPE);
        assertEquals(400, empty.status(), empty::toString);
        assertEquals("missing request body", empty.msg());
    }

    @Test
    void batchWithAMissingPageIs404AsJson() {
        byte[] body = PageRequest.encodeAll(List.of(new PageRequest(REL, 5, null)));
        Reply reply = api().sendBytes(HttpRequest.POST(path("pages"), body), null);
        assertEquals(404, reply.status(), reply::toString);
        assertJson(reply);
        assertTrue(reply.msg().startsWith("NotFound: block 5"), reply.msg());
    }

    @Test
    void trailingSlashesAreOptional() {
        timeline().putPage(REL, 0, page(0));
        assertEquals(200, api().get(path("page/?rel=1663/16384/16385/0&blkno=0")).status());
        assertEquals(200, api().get(path("rel_size/?rel=1663/16384/16385/0")).status());
        assertEquals(200, api().get(path("rel_exists/?rel=1663/16384/16385/0")).status());
        assertEquals(200, api().get(path("db_size/?spcnode=1&dbnode=1")).status());
        byte[] body = PageRequest.encodeAll(List.of(new PageRequest(REL, 0, null)));
        assertEquals(200, api().sendBytes(HttpRequest.POST(path("pages/"), body), null).status());
    }
}
