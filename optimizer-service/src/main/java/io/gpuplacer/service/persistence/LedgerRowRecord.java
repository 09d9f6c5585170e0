package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * One ledger row: what one task (kind {@code task}), a node's unallocated share ({@code unallocated}) or nothing
 * known ({@code gap}) drew in part of an hour, and what that cost in CO2e and money. {@code energyMeasured}: GPU
 * telemetry measured its utilisation or its power; {@code powerMeasured}: its busy watts are the measured draw;
 * {@code queue}: the task's queue (section 9; V17), or null.
 */
@MappedEntity("ledger_row")
public record LedgerRowRecord(@Id @GeneratedValue @Nullable Long id, long snapshotId, Instant hourStart,
                              Instant partStart, Instant partEnd, String rowKind, @Nullable String job,
                              @Nullable Integer task, @Nullable String team, @Nullable String node,
                              @Nullable String zone, @Nullable String gpuModel, double gpuShare, double hours,
                              double utilization,
                              double energyKwh, double co2eKg, double costUsd, double embodiedCo2eKg,
                              double intensityGramsPerKwh,
                              @Nullable String intensityProvider, boolean intensityEstimated, double priceUsdPerMwh,
                              boolean energyMeasured, boolean powerMeasured, @Nullable String queue) {

    public static final String TASK = "task";
    public static final String UNALLOCATED = "unallocated";
    public static final String GAP = "gap";

    public LedgerRowRecord withSnapshot(long snapshot) {
        return new LedgerRowRecord(null, snapshot, hourStart, partStart, partEnd, rowKind, job, task, team, node, zone,
                gpuModel, gpuShare, hours, utilization, energyKwh, co2eKg, costUsd, embodiedCo2eKg, intensityGramsPerKwh, intensityProvider,
                intensityEstimated, priceUsdPerMwh, energyMeasured, powerMeasured, queue);
    }
}
