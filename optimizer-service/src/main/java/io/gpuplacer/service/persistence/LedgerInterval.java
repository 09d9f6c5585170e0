package io.gpuplacer.service.persistence;

import java.util.List;

/**
 * What the ledger records for one interval between snapshots: its rows, the zones' signals for its hours, and the
 * queues' quota use over them.
 */
public record LedgerInterval(List<LedgerRowRecord> rows, List<LedgerZoneHourRecord> zoneHours,
                             List<LedgerQueueHourRecord> queueHours) {
}
