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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sums the ledger's rows of a period in the database, by groups chosen from a fixed list (their SQL is written
 * here, never taken from a request), and by hour when a report groups by time: a month of a large cluster is
 * hundreds of thousands of rows, which the database sums faster than it sends them.
 */
@Singleton
public class LedgerReader {

    /** The SQL of each group a report may name that is a column (times are summed by hour, then rolled up). */
    /** The queue group of the rows of work in no queue. */
    public static final String NO_QUEUE = "(no queue)";

    public static final Map<String, String> COLUMNS = Map.of(
            "team", "CASE WHEN row_kind = 'unallocated' THEN 'unallocated' ELSE COALESCE(NULLIF(team, ''), "
                    + "'(no team)') END",
            "queue", "CASE WHEN row_kind = 'unallocated' THEN 'unallocated' ELSE COALESCE(NULLIF(queue, ''), "
                    + "'" + NO_QUEUE + "') END",
            "job", "CASE WHEN row_kind = 'unallocated' THEN 'unallocated' ELSE job END",
            "zone", "zone",
            "node", "node",
            "gpuModel", "COALESCE(NULLIF(gpu_model, ''), '(none)')");

    /** How finely a report groups by time: the database sums by that period. */
    public enum Grain { NONE, HOUR, DAY, MONTH }

    /** The sums of one group (and the start of its period, unless the grain is NONE). */
    public record Sum(List<String> keys, Instant period, double energyKwh, double co2eKg, double costUsd,
                      double gpuHours, double co2eOnEstimated, double energyMeasured, double embodiedCo2eKg,
                      double energyPowerMeasured) {
    }

    /** Gap rows of a period: how many and how many hours. */
    public record Gaps(int count, double hours) {
    }

    private final DataSource dataSource;

    public LedgerReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Sums by the named column groups (keys of {@link #COLUMNS}) and by period of the grain. */
    @Transactional(readOnly = true) // Micronaut Data's DataSource hands out the transaction's connection
    public List<Sum> sums(Instant from, Instant to, List<String> groups, Grain grain) {
        List<String> keys = new ArrayList<>();
        for (String g : groups) {
            String sql = COLUMNS.get(g);
            if (sql == null) {
                throw new IllegalArgumentException(g + " is not a column group");
            }
            keys.add(sql);
        }
        int columns = keys.size();
        switch (grain) {
            case HOUR -> keys.add("hour_start");
            case DAY -> keys.addAll(List.of("EXTRACT(YEAR FROM hour_start)", "EXTRACT(MONTH FROM hour_start)",
                    "EXTRACT(DAY FROM hour_start)"));
            case MONTH -> keys.addAll(List.of("EXTRACT(YEAR FROM hour_start)", "EXTRACT(MONTH FROM hour_start)"));
            case NONE -> { }
        }
        String select = keys.isEmpty() ? "" : String.join(", ", keys) + ", ";
        String sql = "SELECT " + select + "SUM(energy_kwh), SUM(co2e_kg), SUM(cost_usd), SUM(gpu_share * hours), "
                + "SUM(CASE WHEN intensity_estimated THEN co2e_kg ELSE 0 END), "
                + "SUM(CASE WHEN energy_measured THEN energy_kwh ELSE 0 END), COUNT(*), SUM(embodied_co2e_kg), "
                + "SUM(CASE WHEN power_measured THEN energy_kwh ELSE 0 END) "
                + "FROM ledger_row "
                + "WHERE hour_start >= ? AND hour_start < ? AND row_kind <> 'gap'"
                + (keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys));
        List<Sum> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    int first = keys.size();
                    if (r.getLong(first + 7) == 0) {
                        continue; // no rows at all: SUM over nothing
                    }
                    List<String> values = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        values.add(r.getString(i));
                    }
                    out.add(new Sum(values, period(r, columns, grain), r.getDouble(first + 1),
                            r.getDouble(first + 2), r.getDouble(first + 3), r.getDouble(first + 4),
                            r.getDouble(first + 5), r.getDouble(first + 6), r.getDouble(first + 8),
                            r.getDouble(first + 9)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerUnreadableException(e);
        }
        return out;
    }

    /** The start of the row's period: the hour as stored, or the day or month it lies in. */
    private static Instant period(ResultSet r, int columns, Grain grain) throws SQLException {
        return switch (grain) {
            case NONE -> null;
            case HOUR -> r.getTimestamp(columns + 1).toInstant();
            case DAY -> java.time.LocalDate.of(r.getInt(columns + 1), r.getInt(columns + 2), r.getInt(columns + 3))
                    .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            case MONTH -> java.time.LocalDate.of(r.getInt(columns + 1), r.getInt(columns + 2), 1)
                    .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        };
    }

    @Transactional(readOnly = true)
    public Gaps gaps(Instant from, Instant to) {
        String sql = "SELECT COUNT(*), COALESCE(SUM(hours), 0) FROM ledger_row WHERE hour_start >= ? AND "
                + "hour_start < ? AND row_kind = 'gap'";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = st.executeQuery()) {
                r.next();
                return new Gaps(r.getInt(1), r.getDouble(2));
            }
        } catch (SQLException e) {
            throw new LedgerUnreadableException(e);
        }
    }

    @Transactional(readOnly = true)
    public List<String> providers(Instant from, Instant to) {
        String sql = "SELECT DISTINCT intensity_provider FROM ledger_row WHERE hour_start >= ? AND hour_start < ? "
                + "AND intensity_provider IS NOT NULL";
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new LedgerUnreadableException(e);
        }
        return List.copyOf(out);
    }

    /** A query of the ledger failed (a database that is away surfaces as its SQL state, answered 503). */
    public static final class LedgerUnreadableException extends RuntimeException {
        LedgerUnreadableException(SQLException cause) {
            super("the emission ledger could not be read", cause);
        }
    }
}
