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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Capacity planning's history from the ledger, hour by hour per zone and GPU model: the GPUs in use (the task rows'
 * GPU share times their part of the hour) and the GPUs asked for and not yet placed (each arrival's share, from the
 * hour it arrived until the hour of its job's first ledger row; one never run until its latest start). Hours the
 * ledger has no interval for are left out (the planner says so); an arrival without a first fit is of zone and model
 * "any".
 */
@Singleton
public class DemandHistoryReader {

    public static final String ANY = "any";

    /** One hour of one zone and model. */
    public record Row(Instant hour, String zone, String gpuModel, double usedGpus, double pendingGpus) {
    }

    private final DataSource dataSource;

    public DemandHistoryReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(readOnly = true)
    public List<Row> rows(Instant from, Instant to) {
        TreeSet<Instant> covered = new TreeSet<>();
        Map<String, Map<Instant, double[]>> byKey = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            query(c, "SELECT DISTINCT hour_start FROM ledger_zone_hour WHERE hour_start >= ? AND hour_start < ?", from,
                    to, r -> covered.add(r.getTimestamp(1).toInstant()));
            query(c, "SELECT hour_start, zone, gpu_model, SUM(gpu_share * hours) FROM ledger_row WHERE row_kind = 'task' "
                    + "AND hour_start >= ? AND hour_start < ? GROUP BY hour_start, zone, gpu_model", from, to,
                    r -> add(byKey, key(r.getString(2), r.getString(3)), r.getTimestamp(1).toInstant(), 0,
                            r.getDouble(4)));
            // Arrivals up to a week before the period may still wait in it.
            query(c, "SELECT a.arrived_at, a.latest_start, a.gpu_share, a.gpu_model, a.zone, (SELECT MIN(r.hour_start) "
                    + "FROM ledger_row r WHERE r.job = a.job AND r.row_kind = 'task' AND r.hour_start >= a.arrived_at - "
                    + "INTERVAL '1' HOUR) FROM job_arrival a WHERE a.gpu_share IS NOT NULL AND a.arrived_at >= ? AND "
                    + "a.arrived_at < ?", from.minus(7, ChronoUnit.DAYS), to, r -> {
                        Instant first = r.getTimestamp(1).toInstant().truncatedTo(ChronoUnit.HOURS);
                        Timestamp started = r.getTimestamp(6);
                        Instant end = started != null ? started.toInstant() : max(first.plus(1, ChronoUnit.HOURS),
                                r.getTimestamp(2).toInstant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
                        String key = key(r.getString(5), r.getString(4));
                        for (Instant h = first; h.isBefore(end); h = h.plus(1, ChronoUnit.HOURS)) {
                            if (!h.isBefore(from) && h.isBefore(to)) {
                                add(byKey, key, h, 1, r.getDouble(3));
                            }
                        }
                    });
        } catch (SQLException e) {
            throw new IllegalStateException("the ledger could not be read: " + e.getClass().getSimpleName(), e);
        }
        List<Row> out = new ArrayList<>();
        byKey.forEach((key, hours) -> {
            String[] zm = key.split("\u0000", 2);
            for (Instant h : covered) {
                double[] v = hours.getOrDefault(h, new double[2]);
                out.add(new Row(h, zm[0], zm[1], v[0], v[1]));
            }
        });
        return out;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String key(String zone, String model) {
        return (zone == null || zone.isBlank() ? ANY : zone) + "\u0000" + (model == null || model.isBlank() ? ANY
                : model);
    }

    private static void add(Map<String, Map<Instant, double[]>> byKey, String key, Instant hour, int which,
                            double gpus) {
        byKey.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(hour, h -> new double[2])[which] += gpus;
    }

    private interface RowHandler {
        void accept(ResultSet r) throws SQLException;
    }

    private static void query(Connection c, String sql, Instant from, Instant to, RowHandler handler)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    handler.accept(r);
                }
            }
        }
    }
}
