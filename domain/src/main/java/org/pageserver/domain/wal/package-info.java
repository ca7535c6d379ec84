/** The data plane's record format: frames, records and the decoder that validates a whole batch. */
package org.pageserver.domain.wal;
