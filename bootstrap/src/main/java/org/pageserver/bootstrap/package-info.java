/**
 * The composition root: the Micronaut application that reads the configuration, builds the use
 * cases from the application module over the adapters' ports, and starts them.
 */
package org.pageserver.bootstrap;
