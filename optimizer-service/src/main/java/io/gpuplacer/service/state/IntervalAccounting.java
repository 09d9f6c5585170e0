package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.persistence.LedgerInterval;
import io.gpuplacer.service.persistence.LedgerRowRecord;

import java.time.Instant;
import java.util.List;

/** The emission ledger's rows for the work of a snapshot over [t0, t1), priced by the signals given. */
public interface IntervalAccounting {

    /** Priced by one signals document. */
    default LedgerInterval rows(JsonNode cluster, Instant t0, Instant t1, JsonNode signals) {
        return rows(cluster, t0, t1, at -> signals);
    }

    /**
     * Priced hour by hour by the signals document in force then ({@code signalsAt} the start of each hour of the
     * interval, or its start when later): what was stored for those hours, not what is in force when the
     * interval is closed.
     */
    LedgerInterval rows(JsonNode cluster, Instant t0, Instant t1, java.util.function.Function<Instant, JsonNode> signalsAt);

    /** The rows are stored (their transaction committed): count them where counting happens. */
    default void committed(List<LedgerRowRecord> rows) {
    }
}
