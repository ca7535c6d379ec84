/**
 * The management API over HTTP: one controller per resource (status, tenants, tenant config,
 * timelines). Controllers parse and render through {@code json}, call the use-case interfaces only,
 * and leave every failure to the one mapper in {@code error}.
 */
package org.pageserver.adapters.http;
