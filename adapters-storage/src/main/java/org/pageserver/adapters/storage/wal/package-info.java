/**
 * The node's write-ahead ingest log: segment files of checksummed records
 * ({@link org.pageserver.adapters.storage.wal.LogRecord}), written by one thread that makes many
 * appenders' batches durable with one fsync (group commit), replayed at start-up and reclaimed
 * segment by segment once layer files hold what they logged.
 */
package org.pageserver.adapters.storage.wal;
