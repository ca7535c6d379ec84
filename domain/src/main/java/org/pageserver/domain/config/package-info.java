/** Tenant configuration: the table of settings, humantime durations, overrides and effective values. */
package org.pageserver.domain.config;
