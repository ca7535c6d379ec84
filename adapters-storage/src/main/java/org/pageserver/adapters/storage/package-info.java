/**
 * Local storage adapters: what this node keeps on its own disk. {@code metadata} holds tenant and
 * timeline metadata in a JDBC database (H2 by default, PostgreSQL in production).
 */
package org.pageserver.adapters.storage;
