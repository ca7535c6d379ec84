/** Outgoing ports: what the use cases need from the world, implemented by the adapters. */
package org.pageserver.application.port.out;
