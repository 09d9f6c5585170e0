package io.gpuplacer.service.persistence;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Streams the ledger's rows of a period to a consumer, with only the columns reports use: a month of a large
 * cluster is hundreds of thousands of rows, read once and aggregated on the way.
 */
@Singleton
public class LedgerReader {

    /** What a report needs of a row. */
    public record Row(Instant hourStart, Instant partStart, Instant partEnd, String kind, String job, String team,
                      String node, String zone, String gpuModel, double gpuShare, double energyKwh, double co2eKg,
                      double costUsd, String intensityProvider, boolean intensityEstimated, boolean energyMeasured) {
    }

    private final DataSource dataSource;

    public LedgerReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(readOnly = true) // Micronaut Data's DataSource hands out the transaction's connection
    public void forEach(Instant from, Instant to, Consumer<Row> consumer) {
        String sql = "SELECT hour_start, part_start, part_end, row_kind, job, team, node, zone, gpu_model, gpu_share, "
                + "energy_kwh, co2e_kg, cost_usd, intensity_provider, intensity_estimated, energy_measured "
                + "FROM ledger_row WHERE hour_start >= ? AND hour_start < ? ORDER BY hour_start, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            st.setFetchSize(5_000);
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    consumer.accept(new Row(r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant(),
                            r.getTimestamp(3).toInstant(), r.getString(4), r.getString(5), r.getString(6),
                            r.getString(7), r.getString(8), r.getString(9), r.getDouble(10), r.getDouble(11),
                            r.getDouble(12), r.getDouble(13), r.getString(14), r.getBoolean(15), r.getBoolean(16)));
                }
            }
        } catch (SQLException e) {
            throw new java.io.UncheckedIOException(new java.io.IOException("the ledger cannot be read", e));
        }
    }
}
