/**
 * The use cases: what the pageserver does, in plain Java. Requests come in through the
 * interfaces of {@code port.in}; the world (database, files, remote storage) is reached only
 * through the interfaces of {@code port.out}, which the adapters implement.
 */
package org.pageserver.application;
