/**
 * The pageserver's domain: identifiers, LSNs, tenant and timeline states, tenant configuration and
 * the rules over them. Plain Java on the JDK alone; no framework, no I/O.
 */
package org.pageserver.domain;
