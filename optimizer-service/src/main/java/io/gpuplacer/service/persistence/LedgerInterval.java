package io.gpuplacer.service.persistence;

import java.util.List;

/** What the ledger records for one interval between snapshots: its rows and the zones' signals for its hours. */
public record LedgerInterval(List<LedgerRowRecord> rows, List<LedgerZoneHourRecord> zoneHours) {
}
