package io.gpuplacer.service.persistence;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a queue report reads, summed in the database where it can be: the queues' quota hours (V17
 * ledger_queue_hour), the preemptions carried out (PREEMPT actions APPLIED), when each job's task rows begin, and
 * the jobs' arrivals.
 */
@Singleton
public class QueueLedgerReader {

    /** A queue's GPU-hours over a period: nominal, used, borrowed, lent. */
    public record QuotaHours(String queue, double nominalGpuHours, double usedGpuHours, double borrowedGpuHours,
                             double lentGpuHours) {
    }

    /** A queue's preemptions carried out over a period, and the GPU-hours they lost. */
    public record Preemptions(String queue, int count, double lostGpuHours) {
    }

    /** A job's first task row in a period, in its queue. */
    public record Start(String job, String queue, Instant at) {
    }

    /** A job seen pending. */
    public record Arrival(String job, Instant at) {
    }

    private final DataSource dataSource;

    public QueueLedgerReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(readOnly = true)
    public List<QuotaHours> quotaHours(Instant from, Instant to) {
        List<QuotaHours> out = new ArrayList<>();
        PeriodQuery.each(dataSource, "SELECT queue, SUM(nominal_gpus * hours), SUM(used_gpus * hours), "
                + "SUM(borrowed_gpus * hours), SUM(lent_gpus * hours) FROM ledger_queue_hour WHERE hour_start >= ? "
                + "AND hour_start < ? GROUP BY queue", from, to, List.of(), r -> out.add(new QuotaHours(
                r.getString(1), r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5))));
        return out;
    }

    @Transactional(readOnly = true)
    public List<Preemptions> preemptions(Instant from, Instant to) {
        List<Preemptions> out = new ArrayList<>();
        PeriodQuery.each(dataSource, "SELECT victim_queue, COUNT(*), COALESCE(SUM(lost_gpu_hours), 0) FROM "
                + "cluster_action WHERE updated_at >= ? AND updated_at < ? AND kind = 'PREEMPT' AND status = "
                + "'APPLIED' AND victim_queue IS NOT NULL GROUP BY victim_queue", from, to, List.of(),
                r -> out.add(new Preemptions(r.getString(1), r.getInt(2), r.getDouble(3))));
        return out;
    }

    /** Each queued job's first task row with hour_start in [from, to), by job and queue. */
    @Transactional(readOnly = true)
    public List<Start> starts(Instant from, Instant to) {
        List<Start> out = new ArrayList<>();
        PeriodQuery.each(dataSource, "SELECT job, queue, MIN(part_start) FROM ledger_row WHERE hour_start >= ? AND "
                + "hour_start < ? AND row_kind = 'task' AND queue IS NOT NULL GROUP BY job, queue", from, to,
                List.of(), r -> out.add(new Start(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant())));
        return out;
    }

    @Transactional(readOnly = true)
    public List<Arrival> arrivals(Instant from, Instant to) {
        List<Arrival> out = new ArrayList<>();
        PeriodQuery.each(dataSource, "SELECT job, arrived_at FROM job_arrival WHERE arrived_at >= ? AND arrived_at < ?",
                from, to, List.of(), r -> out.add(new Arrival(r.getString(1), r.getTimestamp(2).toInstant())));
        return out;
    }
}
