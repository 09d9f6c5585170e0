package io.gpuplacer.service.reports;

import io.gpuplacer.service.ledger.ArrivalRecorder;
import io.gpuplacer.service.persistence.LedgerReader;
import io.gpuplacer.service.persistence.QueueLedgerReader;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The teams' queues over a period, from the ledger (contract section 9): per queue its GPU-hours used against its
 * nominal GPU-hours (quota use), borrowed and lent, the energy and CO2e of its work, the preemptions carried out on
 * it and the GPU-hours they lost, and the wait of its jobs from arrival to start.
 */
@Singleton
public class QueueReport {

    static final String METHOD = "Quota hours: at each snapshot the ledger records each queue's nominal quota of a "
            + "flavor and the GPU share its running work used, borrowed above its nominal and lent to the cohort's "
            + "borrowers (as GET /v1/queues shows them), held until the next snapshot; summed x hours over [from, to). "
            + "quotaUse = usedGpuHours / nominalGpuHours (null without a nominal quota). Energy and CO2e: the ledger's "
            + "rows of the queue's tasks. Preemptions: PREEMPT actions carried out in [from, to), each losing half a "
            + "checkpoint plus the restart x its GPU share. Waits: for each job of the queue whose first ledger row "
            + "starts in [from, to), the hours from the last arrival the service recorded for it (at most 7 days "
            + "before) to that start; jobs whose arrival was not recorded are counted apart (jobsStarted - "
            + "waitsMeasured). p95: nearest rank. Work in no queue is not listed.";

    @Schema(name = "QueueReport", description = "The queues over [from, to)")
    public record Report(Instant from, Instant to, List<Row> queues, String method) {
    }

    @Schema(name = "QueueReportRow")
    public record Row(String queue, double nominalGpuHours, double usedGpuHours,
                      @Schema(description = "usedGpuHours / nominalGpuHours; null without a nominal quota")
                      Double quotaUse,
                      double borrowedGpuHours, double lentGpuHours, double energyKWh, double co2eKg,
                      int preemptions, double lostGpuHours, int jobsStarted, int waitsMeasured,
                      @Schema(description = "mean wait from arrival to start, hours; null without a measured wait")
                      Double waitMeanHours,
                      @Schema(description = "95th percentile of the waits, hours (nearest rank)")
                      Double waitP95Hours) {
    }

    private final QueueLedgerReader reader;
    private final LedgerReader ledger;

    public QueueReport(QueueLedgerReader reader, LedgerReader ledger) {
        this.reader = reader;
        this.ledger = ledger;
    }

    public Report run(ReportQuery query) {
        Instant from = query.from();
        Instant to = query.to();
        Map<String, Builder> rows = new TreeMap<>();
        for (QueueLedgerReader.QuotaHours q : reader.quotaHours(from, to)) {
            Builder b = rows.computeIfAbsent(q.queue(), Builder::new);
            b.nominal = q.nominalGpuHours();
            b.used = q.usedGpuHours();
            b.borrowed = q.borrowedGpuHours();
            b.lent = q.lentGpuHours();
        }
        for (LedgerReader.Sum s : ledger.sums(from, to, List.of("queue"), LedgerReader.Grain.NONE)) {
            String queue = s.keys().get(0);
            if (!queue.equals(LedgerReader.NO_QUEUE) && !queue.equals("unallocated")) {
                Builder b = rows.computeIfAbsent(queue, Builder::new);
                b.energy = s.energyKwh();
                b.co2e = s.co2eKg();
            }
        }
        for (QueueLedgerReader.Preemptions p : reader.preemptions(from, to)) {
            Builder b = rows.computeIfAbsent(p.queue(), Builder::new);
            b.preemptions = p.count();
            b.lost = p.lostGpuHours();
        }
        waits(from, to, rows);
        List<Row> out = new ArrayList<>();
        rows.values().forEach(b -> out.add(b.row()));
        return new Report(from, to, List.copyOf(out), METHOD);
    }

    /** The waits of the jobs that first start in [from, to): from their last recorded arrival before the start. */
    private void waits(Instant from, Instant to, Map<String, Builder> rows) {
        Duration back = ArrivalRecorder.SAME_JOB;
        // A job's rows from a week before: one that ran before from is not a start in [from, to).
        Map<String, Instant> first = new HashMap<>();
        Map<String, String> queueOf = new HashMap<>();
        for (QueueLedgerReader.Start s : reader.starts(from.minus(back), to)) {
            Instant seen = first.get(s.job());
            if (seen == null || s.at().isBefore(seen)) {
                first.put(s.job(), s.at());
                queueOf.put(s.job(), s.queue());
            }
        }
        Map<String, List<Instant>> arrivals = new HashMap<>();
        for (QueueLedgerReader.Arrival a : reader.arrivals(from.minus(back), to)) {
            arrivals.computeIfAbsent(a.job(), j -> new ArrayList<>()).add(a.at());
        }
        first.forEach((job, start) -> {
            if (start.isBefore(from)) {
                return;
            }
            Builder b = rows.computeIfAbsent(queueOf.get(job), Builder::new);
            b.started++;
            Instant arrived = null;
            for (Instant a : arrivals.getOrDefault(job, List.of())) {
                if (!a.isAfter(start) && !a.isBefore(start.minus(back)) && (arrived == null || a.isAfter(arrived))) {
                    arrived = a;
                }
            }
            if (arrived != null) {
                b.waits.add(Duration.between(arrived, start).toMillis() / 3_600_000.0);
            }
        });
    }

    private static final class Builder {
        final String queue;
        double nominal;
        double used;
        double borrowed;
        double lent;
        double energy;
        double co2e;
        int preemptions;
        double lost;
        int started;
        final List<Double> waits = new ArrayList<>();

        Builder(String queue) {
            this.queue = queue;
        }

        Row row() {
            List<Double> sorted = new ArrayList<>(waits);
            sorted.sort(null);
            Double mean = sorted.isEmpty() ? null : sorted.stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow();
            Double p95 = sorted.isEmpty() ? null
                    : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(0.95 * sorted.size()) - 1));
            return new Row(queue, nominal, used, nominal > 0 ? used / nominal : null, borrowed, lent, energy, co2e,
                    preemptions, lost, started, sorted.size(), mean, p95);
        }
    }
}
