package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.persistence.LedgerInterval;
import io.gpuplacer.service.persistence.LedgerRowRecord;

import java.time.Instant;
import java.util.List;

/** The emission ledger's rows for the work of a snapshot over [t0, t1), priced by the signals given. */
public interface IntervalAccounting {

    LedgerInterval rows(JsonNode cluster, Instant t0, Instant t1, JsonNode signals);

    /** The rows are stored (their transaction committed): count them where counting happens. */
    default void committed(List<LedgerRowRecord> rows) {
    }
}
