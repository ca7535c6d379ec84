package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.tenant.TenantState;

/** What the API shows of a tenant: its state and, where asked for, the bytes of its layer files. */
public record TenantInfo(TenantId id, TenantState state, Long currentPhysicalSize) {
}
