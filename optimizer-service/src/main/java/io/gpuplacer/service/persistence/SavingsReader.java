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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a report's savings read: the jobs' arrivals, what their tasks drew (summed in the database, for the jobs that
 * have an arrival only), and the zones' intensity and price per hour as the ledger used them.
 */
@Singleton
public class SavingsReader {

    /** One task's rows, summed; {@code start} is the first row's start. */
    public record TaskRun(String job, int task, Instant start, double hours, double utilizationHours,
                          double energyKwh, double co2eKg, double costUsd) {
    }

    /** A zone's intensity and price for an hour; the newest recorded where several intervals priced the hour. */
    public record ZoneHour(String zone, Instant hour, double gramsPerKwh, String provider, boolean estimated,
                           double usdPerMwh) {
    }

    private static final int BATCH = 500;
    private final DataSource dataSource;

    public SavingsReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(readOnly = true)
    public List<JobArrivalRecord> arrivals(Instant from, Instant to) {
        List<JobArrivalRecord> out = new ArrayList<>();
        each("SELECT id, job, team, source, arrived_at, earliest_start, latest_start, tasks, state_version, first_fit, "
                + "bound FROM job_arrival WHERE arrived_at >= ? AND arrived_at < ? ORDER BY arrived_at, id", from, to,
                List.of(), r -> out.add(new JobArrivalRecord(r.getLong(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getTimestamp(5).toInstant(), r.getTimestamp(6).toInstant(),
                        r.getTimestamp(7).toInstant(), r.getInt(8), r.getLong(9), r.getString(10), r.getString(11),
                        null, null, null))); // what it asked for is capacity planning's, not the savings'
        return out;
    }

    /**
     * The task rows of {@code jobs} with hour_start in [from, to), summed by job and task. One pass over the period
     * summing every job, the others dropped here: cheaper than a list of ids the database looks up batch by batch.
     */
    @Transactional(readOnly = true)
    public List<TaskRun> taskRuns(Set<String> jobs, Instant from, Instant to) {
        List<TaskRun> out = new ArrayList<>();
        each("SELECT job, task, MIN(part_start), SUM(hours), SUM(utilization * hours), SUM(energy_kwh), SUM(co2e_kg), "
                + "SUM(cost_usd) FROM ledger_row WHERE row_kind = 'task' AND hour_start >= ? AND hour_start < ? "
                + "GROUP BY job, task", from, to, List.of(), r -> {
                    if (jobs.contains(r.getString(1))) {
                        out.add(new TaskRun(r.getString(1), r.getInt(2), r.getTimestamp(3).toInstant(),
                                r.getDouble(4), r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8)));
                    }
                });
        return out;
    }

    /** The CO2e of {@code jobs}' task rows by hour, hour_start in [from, to) (for a chart's counterfactual line). */
    @Transactional(readOnly = true)
    public Map<Instant, Double> co2eByHour(Collection<String> jobs, Instant from, Instant to) {
        Map<Instant, Double> out = new TreeMap<>();
        List<String> all = List.copyOf(jobs);
        for (int i = 0; i < all.size(); i += BATCH) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + BATCH));
            each("SELECT hour_start, SUM(co2e_kg) FROM ledger_row WHERE row_kind = 'task' AND hour_start >= ? AND "
                    + "hour_start < ? AND job IN (" + "?,".repeat(batch.size() - 1) + "?) GROUP BY hour_start", from, to,
                    batch, r -> out.merge(r.getTimestamp(1).toInstant(), r.getDouble(2), Double::sum));
        }
        return out;
    }

    /** Each zone-hour with hour_start in [from, to) as last recorded (an hour spans several intervals). */
    @Transactional(readOnly = true)
    public List<ZoneHour> zoneHours(Instant from, Instant to) {
        List<ZoneHour> out = new ArrayList<>();
        each("SELECT z.zone, z.hour_start, z.intensity_grams_per_kwh, z.intensity_provider, z.intensity_estimated, "
                + "z.price_usd_per_mwh FROM ledger_zone_hour z JOIN (SELECT MAX(id) AS id FROM ledger_zone_hour "
                + "WHERE hour_start >= ? AND hour_start < ? GROUP BY zone, hour_start) m ON z.id = m.id", from, to,
                List.of(), r -> out.add(new ZoneHour(r.getString(1), r.getTimestamp(2).toInstant(), r.getDouble(3),
                        r.getString(4), r.getBoolean(5), r.getDouble(6))));
        return out;
    }

    private void each(String sql, Instant from, Instant to, List<String> more, PeriodQuery.RowReader rows) {
        PeriodQuery.each(dataSource, sql, from, to, more, rows);
    }
}
