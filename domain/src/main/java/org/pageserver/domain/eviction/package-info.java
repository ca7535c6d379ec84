/** Which layer files leave local disk first when the disk fills (Neon's disk-usage eviction). */
package org.pageserver.domain.eviction;
