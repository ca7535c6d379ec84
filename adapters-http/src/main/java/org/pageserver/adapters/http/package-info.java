/**
 * The HTTP API: the management routes, one controller per resource (status, tenants, tenant config,
 * timelines), and the data plane (ingest and checkpoint, page reads, LSN and time lookups).
 * Controllers parse and render through {@code json}, call the use-case interfaces only, and leave
 * every failure to the one mapper in {@code error}.
 */
package org.pageserver.adapters.http;
