/** Identifiers: {@link org.pageserver.domain.id.TenantId}, {@link org.pageserver.domain.id.TimelineId}, {@link org.pageserver.domain.id.Generation}. */
package org.pageserver.domain.id;
