/** The error vocabulary shared by the domain and the use cases; the HTTP adapter maps it to statuses in one place. */
package org.pageserver.domain.error;
