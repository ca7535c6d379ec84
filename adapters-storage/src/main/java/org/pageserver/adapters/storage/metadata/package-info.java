/**
 * Tenant, timeline and layer file metadata in a JDBC database through Micronaut Data JDBC,
 * implementing the tenant, timeline and layer load/save ports. The schema comes from the Flyway
 * migrations under {@code db/migration}.
 *
 * <p>Every repository is compiled for {@link io.micronaut.data.model.query.builder.sql.Dialect#POSTGRES}:
 * Micronaut Data fixes the SQL at compile time, and the same SQL runs on PostgreSQL and on H2 in
 * PostgreSQL mode. Rows ({@code *Row}) mirror the tables; the mappers turn them into domain records
 * and back, so no persistence type leaves this package.
 */
package org.pageserver.adapters.storage.metadata;
