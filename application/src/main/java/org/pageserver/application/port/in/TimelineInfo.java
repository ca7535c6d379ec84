package org.pageserver.application.port.in;

import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/**
 * What the API shows of a timeline: its metadata, its state and its sizes.
 *
 * @param currentLogicalSize            the sum of its relations' sizes at last_record_lsn, kept as records arrive;
 *                                      null while it is being worked out (it needs layers not on local disk)
 * @param nonIncrementalLogicalSize     the same, recomputed from the data; null unless asked for
 * @param currentPhysicalSize           the bytes of its layer files
 */
public record TimelineInfo(TimelineMetadata metadata, TimelineState state, Long currentLogicalSize,
                           Long nonIncrementalLogicalSize, long currentPhysicalSize) {
}
