/** Timelines: their states, their metadata and the branching rules. */
package org.pageserver.domain.timeline;
