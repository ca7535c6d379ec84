/** Log sequence numbers and waiting for them. */
package org.pageserver.domain.lsn;
