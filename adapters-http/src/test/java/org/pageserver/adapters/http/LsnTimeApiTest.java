package org.pageserver.adapters.http;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;
import org.pageserver.domain.lsn.LsnByTimestamp.Kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET …/get_timestamp_of_lsn and …/get_lsn_by_timestamp. */
@MicronautTest
class LsnTimeApiTest extends DataPlaneTestBase {
    private static final Lsn LSN = Lsn.of(0x16B5A50L);

    private void assertBadRequest(Reply reply, String msgPart) {
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply::toString);
        assertTrue(reply.msg().contains(msgPart), msgPart + " not in: " + reply.msg());
    }

    @ParameterizedTest
    @CsvSource({
            "1699368209123456, \"2023-11-07T14:43:29.123456000Z\"",
            "1699368209000000, \"2023-11-07T14:43:29Z\"",
            "0, \"1970-01-01T00:00:00Z\"",
    })
    void timestampOfLsnIsAnRfc3339JsonString(long micros, String json) {
        timeline().commitTimes.put(LSN, micros);
        Reply reply = api().get(path("get_timestamp_of_lsn?lsn=0/16B5A50"));
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply::toString);
        assertEquals(json, reply.body());
    }

    @Test
    void timestampOfLsnTakesXSlashYInAnyCaseOrADecimalInteger() {
        timeline().commitTimes.put(LSN, 1L);
        for (String lsn : new String[] {"0/16B5A50", "0/16b5a50", String.valueOf(0x16B5A50L)}) {
            Reply reply = api().get(path("get_timestamp_of_lsn?lsn=" + lsn));
            assertEquals(200, reply.status(), lsn + " -> " + reply);
            assertEquals(LSN, timeline().lastCall.lsn());
        }
    }

    @Test
    void noCommitAtOrBelowTheLsnIs404WithMsg() {
        Reply reply = api().get(path("get_timestamp_of_lsn?lsn=0/16B5A50"));
        assertEquals(404, reply.status(), reply::toString);
        assertEquals("NotFound: no commit timestamp at or below LSN 0/16B5A50 in timeline " + tenant + "/" + timelineId,
                reply.msg());
    }

    @Test
    void timestampOfLsnRefusesMissingBadAndZeroLsns() {
        assertBadRequest(api().get(path("get_timestamp_of_lsn")), "no lsn specified in query parameters");
        assertBadRequest(api().get(path("get_timestamp_of_lsn?lsn=0/0")), "Invalid LSN");
        assertBadRequest(api().get(path("get_timestamp_of_lsn?lsn=0")), "Invalid LSN");
        assertBadRequest(api().get(path("get_timestamp_of_lsn?lsn=x/1")), "cannot parse query param lsn");
        assertBadRequest(api().get(path("get_timestamp_of_lsn?lsn=-5")), "cannot parse query param lsn");
        assertBadRequest(api().get(path("get_timestamp_of_lsn?lsn=18446744073709551616")), "cannot parse query param lsn");
        assertBadRequest(api().get(path("get_timestamp_of_lsn?lsn=0/1&lsn=0/2")), "param lsn specified more than once");
    }

    @Test
    void timestampOfLsnPassesUseCaseErrorsOn() {
        timeline().failure = PageserverException.unavailable("Tenant " + tenant + " is not active. Current state: Attaching");
        Reply reply = api().get(path("get_timestamp_of_lsn?lsn=0/16B5A50"));
        assertEquals(503, reply.status(), reply::toString);
        assertEquals("Tenant " + tenant + " is not active. Current state: Attaching", reply.msg());
    }

    @Test
    void lsnByTimestampPassesTheTimeInMicrosAndAnswersTheObject() {
        timeline().lsnByTimestamp = new LsnByTimestamp(LSN, Kind.PRESENT);
        Reply reply = api().get(path("get_lsn_by_timestamp?timestamp=2023-11-07T14:43:29.123456789Z"));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("{\"lsn\":\"0/16B5A50\",\"kind\":\"present\"}", reply.body());
        assertEquals(1_699_368_209_123_456L, timeline().lastCall.micros());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PRESENT | 1  | \"0/16B5A50\"",
            "PAST    | 1  | \"past\"",
            "FUTURE  | 1  | \"future\"",
            "NODATA  | 1  | \"nodata\"",
            "PRESENT | 2  | {\"lsn\":\"0/16B5A50\",\"kind\":\"present\"}",
            "PAST    | 2  | {\"lsn\":\"0/16B5A50\",\"kind\":\"past\"}",
            "FUTURE  | 2  | {\"lsn\":\"0/16B5A50\",\"kind\":\"future\"}",
            "NODATA  | 2  | {\"lsn\":\"0/16B5A50\",\"kind\":\"nodata\"}",
            "FUTURE  | 0  | {\"lsn\":\"0/16B5A50\",\"kind\":\"future\"}",
            "PAST    | 255 | {\"lsn\":\"0/16B5A50\",\"kind\":\"past\"}",
    })
    void versionOneAnswersAStringEveryOtherTheObject(Kind kind, int version, String json) {
        timeline().lsnByTimestamp = new LsnByTimestamp(LSN, kind);
        Reply reply = api().get(path("get_lsn_by_timestamp?timestamp=2023-11-07T14:43:29Z&version=" + version));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(json, reply.body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2023-11-07T14:43:29              | Invalid time: \"2023-11-07T14:43:29\"",
            "2023-11-07T14:43:29%2B00:00      | Invalid time: \"2023-11-07T14:43:29+00:00\"",
            "2023-11-07 14:43:29Z             | Invalid time: \"2023-11-07 14:43:29Z\"",
            "1969-12-31T23:59:59Z             | Invalid time: \"1969-12-31T23:59:59Z\"",
            "garbage                          | Invalid time: \"garbage\"",
    })
    void lsnByTimestampRefusesOtherTimes(String timestamp, String msg) {
        String query = "get_lsn_by_timestamp?timestamp=" + timestamp.replace(" ", "%20");
        assertBadRequest(api().get(path(query)), msg);
        assertEquals(null, timeline().lastCall);
    }

    @Test
    void lsnByTimestampRefusesMissingTimestampAndBadVersions() {
        assertBadRequest(api().get(path("get_lsn_by_timestamp")), "no timestamp specified in query parameters");
        String at = "get_lsn_by_timestamp?timestamp=2023-11-07T14:43:29Z";
        assertBadRequest(api().get(path(at + "&version=256")), "cannot parse query param version");
        assertBadRequest(api().get(path(at + "&version=two")), "cannot parse query param version");
        assertBadRequest(api().get(path(at + "&version=1&version=2")), "param version specified more than once");
    }

    @Test
    void trailingSlashesAreOptional() {
        timeline().commitTimes.put(LSN, 5L);
        assertEquals(200, api().get(path("get_timestamp_of_lsn/?lsn=0/16B5A50")).status());
        assertEquals(200, api().get(path("get_lsn_by_timestamp/?timestamp=2023-11-07T14:43:29Z")).status());
    }
}
