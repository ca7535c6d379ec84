/** The synthetic size: what a tenant's history costs to keep, as Neon bills it. */
package org.pageserver.domain.size;
