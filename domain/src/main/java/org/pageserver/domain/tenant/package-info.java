/** Tenants: their states, attachment status and the metadata kept across restarts. */
package org.pageserver.domain.tenant;
