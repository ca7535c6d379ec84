/**
 * The page service: Neon's libpq port ({@code pageserver.listen-pg-addr}), where a compute opens
 * {@code pagestream <tenant_id> <timeline_id>} and sends its reads as CopyData messages, answered
 * in order. On Netty of its own, outside Micronaut's HTTP pipeline: a read whose LSN has arrived
 * and whose layer files are on local disk is answered on the event loop that received it; one that
 * must wait goes to a bounded pool. docs/page-service.md describes the protocol.
 */
package org.pageserver.adapters.http.pageservice;
