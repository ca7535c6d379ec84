package org.pageserver.adapters.http;

import org.pageserver.adapters.http.support.FakeDataPlane;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * A fresh tenant and timeline id per test, known only to the fake data plane, and the path
 * under which the data-plane routes of that timeline live.
 */
abstract class DataPlaneTestBase extends ApiTestBase {
    final TenantId tenant = TenantId.generate();
    final TimelineId timelineId = TimelineId.generate();

    FakeDataPlane.Timeline timeline() {
        return dataPlane.timeline(timelineId);
    }

    String path(String route) {
        return "/v1/tenant/" + tenant + "/timeline/" + timelineId + "/" + route;
    }
}
