/** Layer files: their names (key range by LSN range) and what the metadata records of them. */
package org.pageserver.domain.layer;
