package org.pageserver.adapters.http;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pageserver.adapters.http.support.ApiClient.Reply;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class TimelineApiTest extends ApiTestBase {
    private static final List<String> TIMELINE_INFO_KEYS = List.of("tenant_id", "timeline_id",
            "ancestor_timeline_id", "ancestor_lsn", "last_record_lsn", "prev_record_lsn", "latest_gc_cutoff_lsn",
            "disk_consistent_lsn", "remote_consistent_lsn", "remote_consistent_lsn_visible", "current_logical_size",
            "current_physical_size", "current_logical_size_non_incremental", "timeline_dir_layer_file_size_sum",
            "wal_source_connstr", "last_received_msg_lsn", "last_received_msg_ts", "pg_version", "state",
            "walreceiver_status");

    private String timelines(String tenant) {
        return "/v1/tenant/" + tenant + "/timeline";
    }

    private Reply branch(String tenant, String ancestor, String startLsn) {
        return api().post(timelines(tenant), "{\"ancestor_timeline_id\": \"" + ancestor + "\""
                + (startLsn == null ? "" : ", \"ancestor_start_lsn\": \"" + startLsn + "\"") + "}");
    }

    @Test
    void createRootTimelineReturns201TimelineInfoInNeonsOrder() {
        String tenant = newTenant();
        String id = TimelineId.generate().toString();
        Reply reply = api().post(timelines(tenant), "{\"new_timeline_id\": \"" + id.toUpperCase(Locale.ROOT)
                + "\", \"pg_version\": 14, \"some_future_field\": 1}");
        assertEquals(201, reply.status(), reply::toString);
        JsonNode info = reply.json();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : info.entries()) {
            keys.add(entry.getKey());
        }
        assertEquals(TIMELINE_INFO_KEYS, keys);
        assertEquals(tenant, info.get("tenant_id").getStringValue());
        assertEquals(id, info.get("timeline_id").getStringValue());
        assertTrue(info.get("ancestor_timeline_id").isNull());
        assertTrue(info.get("ancestor_lsn").isNull());
        assertEquals("0/1000000", info.get("last_record_lsn").getStringValue());
        assertEquals("0/0", info.get("prev_record_lsn").getStringValue());
        assertEquals("0/0", info.get("remote_consistent_lsn").getStringValue());
        assertEquals("0/0", info.get("remote_consistent_lsn_visible").getStringValue());
        assertTrue(info.get("current_logical_size_non_incremental").isNull());
        assertTrue(info.get("timeline_dir_layer_file_size_sum").isNull());
        assertEquals(14, info.get("pg_version").getIntValue());
        assertEquals("Active", info.get("state").getStringValue());
        assertEquals("Not active", info.get("walreceiver_status").getStringValue());
    }

    @Test
    void createWithoutIdGeneratesOneAndDefaultsToPg15() {
        String tenant = newTenant();
        Reply reply = api().post(timelines(tenant), "{}");
        assertEquals(201, reply.status(), reply::toString);
        assertTrue(reply.json().get("timeline_id").getStringValue().matches("[0-9a-f]{32}"));
        assertEquals(15, reply.json().get("pg_version").getIntValue());
    }

    @Test
    void createRefusesBadValues() {
        String tenant = newTenant();
        String root = newTimeline(tenant);
        Reply badId = api().post(timelines(tenant), "{\"new_timeline_id\": \"abc\"}");
        assertEquals(400, badId.status());
        assertTrue(badId.msg().startsWith("invalid value for `new_timeline_id`: Odd number of digits"), badId.msg());

        Reply badAncestor = api().post(timelines(tenant), "{\"ancestor_timeline_id\": \"zz\"}");
        assertEquals(400, badAncestor.status());
        assertTrue(badAncestor.msg().contains("`ancestor_timeline_id`"), badAncestor.msg());

        Reply intLsn = api().post(timelines(tenant), "{\"ancestor_timeline_id\": \"" + root
                + "\", \"ancestor_start_lsn\": 16777216}");
        assertEquals(400, intLsn.status());
        assertTrue(intLsn.msg().contains("`ancestor_start_lsn`"), intLsn.msg());

        for (String lsn : new String[] {"16777216", "0/", "x/1", "0/1/2", "0/123456789"}) {
            Reply badLsn = branch(tenant, root, lsn);
            assertEquals(400, badLsn.status(), lsn + " -> " + badLsn);
            assertTrue(badLsn.msg().contains("`ancestor_start_lsn`"), badLsn.msg());
        }

        Reply pgString = api().post(timelines(tenant), "{\"pg_version\": \"15\"}");
        assertEquals(400, pgString.status());
        assertTrue(pgString.msg().contains("`pg_version`"), pgString.msg());

        Reply pgUnsupported = api().post(timelines(tenant), "{\"pg_version\": 9}");
        assertEquals(400, pgUnsupported.status());
        assertTrue(pgUnsupported.msg().contains("pg_version 9"), pgUnsupported.msg());

        assertEquals("missing request body", api().post(timelines(tenant), "").msg());
        assertEquals(400, api().post(timelines(tenant), "[]").status());
        Reply badTenant = api().post("/v1/tenant/xyz/timeline", "{}");
        assertEquals(400, badTenant.status());
        assertTrue(badTenant.msg().startsWith("failed to parse tenant_id"), badTenant.msg());
    }

    @Test
    void createTwiceIs409AndInAnAbsentTenantIs404() {
        String tenant = newTenant();
        String id = newTimeline(tenant);
        Reply again = api().post(timelines(tenant), "{\"new_timeline_id\": \"" + id + "\"}");
        assertEquals(409, again.status());
        assertEquals("Conflict: Timeline " + tenant + "/" + id + " already exists", again.msg());

        String absent = TenantId.generate().toString();
        Reply noTenant = api().post(timelines(absent), "{}");
        assertEquals(404, noTenant.status());
        assertEquals("NotFound: tenant " + absent, noTenant.msg());
    }

    @Test
    void branchAcceptsLsnInAnyCaseAndShowsItsAncestor() {
        String tenant = newTenant();
        String root = newTimeline(tenant);
        Reply child = branch(tenant, root, "0/1000000");
        assertEquals(201, child.status(), child::toString);
        assertEquals(root, child.json().get("ancestor_timeline_id").getStringValue());
        assertEquals("0/1000000", child.json().get("ancestor_lsn").getStringValue());

        Reply defaultStart = branch(tenant, root, null);
        assertEquals(201, defaultStart.status(), defaultStart::toString);
        assertEquals("0/1000000", defaultStart.json().get("ancestor_lsn").getStringValue());

        Reply lowerCase = branch(tenant, child.json().get("timeline_id").getStringValue(), " 0/1000000 ");
        assertEquals(201, lowerCase.status(), lowerCase::toString);
    }

    @Test
    void branchBelowTheAncestorsBranchPointIs406() {
        String tenant = newTenant();
        String root = newTimeline(tenant);
        String child = branch(tenant, root, "0/1000000").json().get("timeline_id").getStringValue();
        Reply reply = branch(tenant, child, "0/FFFFFF");
        assertEquals(406, reply.status(), reply::toString);
        assertTrue(reply.msg().startsWith("invalid start lsn 0/FFFFFF for ancestor timeline " + child
                + ": less than timeline ancestor lsn 0/1000000"), reply.msg());
    }

    @Test
    void branchAtAnLsnNotReachedYetIs503AfterTheWait() {
        String tenant = newTenant();
        String root = newTimeline(tenant);
        Reply reply = branch(tenant, root, "1/0");
        assertEquals(503, reply.status(), reply::toString);
        assertTrue(reply.msg().startsWith("Timed out while waiting for WAL record at LSN 1/0"), reply.msg());
    }

    @Test
    void branchOfAnAbsentAncestorIs404NamingIt() {
        String tenant = newTenant();
        String ancestor = TimelineId.generate().toString();
        Reply reply = branch(tenant, ancestor, null);
        assertEquals(404, reply.status());
        assertTrue(reply.msg().contains(ancestor), reply.msg());
    }

    @Test
    void getAndListHonourTheNonIncrementalFlag() {
        String tenant = newTenant();
        String id = newTimeline(tenant);
        Reply plain = api().get(timelines(tenant) + "/" + id);
        assertEquals(200, plain.status(), plain::toString);
        assertTrue(plain.json().get("current_logical_size_non_incremental").isNull());

        Reply withSize = api().get(timelines(tenant) + "/" + id + "?include-non-incremental-logical-size=true");
        assertEquals(0L, withSize.json().get("current_logical_size_non_incremental").getLongValue());
        Reply withoutSize = api().get(timelines(tenant) + "/" + id + "?include-non-incremental-logical-size=false");
        assertTrue(withoutSize.json().get("current_logical_size_non_incremental").isNull());

        Reply list = api().get(timelines(tenant) + "?include-non-incremental-logical-size=true");
        assertEquals(200, list.status());
        assertEquals(1, list.json().size());
        assertEquals(id, list.json().get(0).get("timeline_id").getStringValue());
        assertEquals(0L, list.json().get(0).get("current_logical_size_non_incremental").getLongValue());
    }

    @Test
    void badOrRepeatedFlagIs400() {
        String tenant = newTenant();
        String id = newTimeline(tenant);
        Reply yes = api().get(timelines(tenant) + "/" + id + "?include-non-incremental-logical-size=yes");
        assertEquals(400, yes.status());
        assertTrue(yes.msg().startsWith("cannot parse query param include-non-incremental-logical-size:"), yes.msg());
        Reply twice = api().get(timelines(tenant)
                + "?include-non-incremental-logical-size=true&include-non-incremental-logical-size=true");
        assertEquals(400, twice.status());
        assertEquals("param include-non-incremental-logical-size specified more than once", twice.msg());
    }

    @Test
    void getOfAbsentOrBadTimelineIs404Or400() {
        String tenant = newTenant();
        String absent = TimelineId.generate().toString();
        Reply missing = api().get(timelines(tenant) + "/" + absent);
        assertEquals(404, missing.status());
        assertEquals("NotFound: Timeline " + tenant + "/" + absent + " was not found", missing.msg());
        Reply bad = api().get(timelines(tenant) + "/nothex");
        assertEquals(400, bad.status());
        assertTrue(bad.msg().startsWith("failed to parse timeline_id: "), bad.msg());
        String absentTenant = TenantId.generate().toString();
        assertEquals("NotFound: tenant " + absentTenant, api().get(timelines(absentTenant)).msg());
    }

    @Test
    void deleteIs202ThenGetEventually404() throws InterruptedException {
        String tenant = newTenant();
        String id = newTimeline(tenant);
        Reply deleted = api().delete(timelines(tenant) + "/" + id);
        assertEquals(202, deleted.status(), deleted::toString);
        assertEquals("null", deleted.body());
        awaitStatus(404, () -> api().get(timelines(tenant) + "/" + id));
        Reply again = api().delete(timelines(tenant) + "/" + id);
        assertEquals(404, again.status());
        assertTrue(again.msg().startsWith("NotFound: "), again.msg());
    }

    @Test
    void whileDeletionRunsTheTimelineIsStoppingAndASecondDeleteIs409() {
        String tenant = newTenant();
        String id = newTimeline(tenant);
        store.holdDeletes();
        try {
            assertEquals(202, api().delete(timelines(tenant) + "/" + id).status());
            Reply during = api().get(timelines(tenant) + "/" + id);
            assertEquals("Stopping", during.json().get("state").getStringValue());
            assertEquals("stopping or stopped", during.json().get("walreceiver_status").getStringValue());
            Reply second = api().delete(timelines(tenant) + "/" + id);
            assertEquals(409, second.status());
            assertEquals("Conflict: Timeline deletion is already in progress", second.msg());
        } finally {
            store.releaseDeletes();
        }
    }

    @Test
    void deleteWithChildrenOrWithoutTenantIs412() {
        String tenant = newTenant();
        String root = newTimeline(tenant);
        String child = branch(tenant, root, null).json().get("timeline_id").getStringValue();
        Reply withChildren = api().delete(timelines(tenant) + "/" + root);
        assertEquals(412, withChildren.status());
        assertTrue(withChildren.msg().startsWith("Precondition failed: Cannot delete timeline which has child timelines"),
                withChildren.msg());
        assertTrue(withChildren.msg().contains(child), withChildren.msg());

        String absentTenant = TenantId.generate().toString();
        Reply noTenant = api().delete(timelines(absentTenant) + "/" + root);
        assertEquals(412, noTenant.status());
        assertTrue(noTenant.msg().startsWith("Precondition failed: "), noTenant.msg());

        assertEquals(400, api().delete(timelines(tenant) + "/xyz").status());
    }
}
