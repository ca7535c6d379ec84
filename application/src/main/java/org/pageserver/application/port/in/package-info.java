/** Incoming ports: one interface per use case, with its command and result records. */
package org.pageserver.application.port.in;
