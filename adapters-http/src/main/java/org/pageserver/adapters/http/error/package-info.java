/**
 * The one mapping from failures to HTTP: status plus a {@code {"msg": ...}} body, for the use cases'
 * {@link org.pageserver.domain.error.PageserverException} and for Micronaut's own errors alike.
 */
package org.pageserver.adapters.http.error;
