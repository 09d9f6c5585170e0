package io.gpuplacer.service.capacity;

import io.gpuplacer.service.persistence.DemandHistoryReader;

import java.util.List;
import java.util.Locale;

/** The ledger's demand history as the CSV {@code capacity-plan --history} reads ({@link DemandHistory#HEADER}). */
public final class HistoryCsv {

    private HistoryCsv() {
    }

    public static String of(List<DemandHistoryReader.Row> rows) {
        StringBuilder out = new StringBuilder(DemandHistory.HEADER).append('\n');
        for (DemandHistoryReader.Row r : rows) {
            out.append(r.hour()).append(',').append(r.zone()).append(',').append(r.gpuModel()).append(',')
                    .append(String.format(Locale.ROOT, "%.4f,%.4f", r.usedGpus(), r.pendingGpus())).append('\n');
        }
        return out.toString();
    }
}
