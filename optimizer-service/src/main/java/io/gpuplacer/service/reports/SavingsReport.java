package io.gpuplacer.service.reports;

import io.gpuplacer.service.ledger.ArrivalRecorder;
import io.gpuplacer.service.persistence.JobArrivalRecord;
import io.gpuplacer.service.persistence.SavingsReader;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads what {@link Savings} needs for a report's period from the database and works the savings out. */
@Singleton
public class SavingsReport {

    private static final java.time.Duration WEEK = ArrivalRecorder.SAME_JOB;
    private final SavingsReader reader;

    public SavingsReport(SavingsReader reader) {
        this.reader = reader;
    }

    /**
     * The savings of the jobs that started in [from, to): their arrivals (up to a week before), their rows (up to
     * a week after: they are counted whole) and the zone-hours both sides ran in.
     */
    public Savings.Result of(Instant from, Instant to) {
        List<JobArrivalRecord> arrivals = reader.arrivals(from.minus(WEEK), to);
        Set<String> jobs = new TreeSet<>();
        arrivals.forEach(a -> jobs.add(a.job()));
        List<SavingsReader.TaskRun> rows = jobs.isEmpty() ? List.of()
                : reader.taskRuns(jobs, from.minus(WEEK).truncatedTo(ChronoUnit.HOURS), to.plus(WEEK));
        if (rows.isEmpty()) {
            return Savings.compute(from, to, arrivals, rows, List.of());
        }
        // Both sides run between the first arrival and the last latest start plus the longest task; a day either
        // side gives an hour the ledger did not price its nearest neighbour.
        long longest = (long) Math.ceil(rows.stream().mapToDouble(SavingsReader.TaskRun::hours).max().orElse(0));
        Instant last = arrivals.stream().map(JobArrivalRecord::latestStart).max(Instant::compareTo).orElseThrow();
        return Savings.compute(from, to, arrivals, rows, reader.zoneHours(
                arrivals.get(0).arrivedAt().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.DAYS),
                last.plus(longest + 25, ChronoUnit.HOURS)));
    }

    /** What the jobs {@code result} counted emitted by hour in [from, to) (for the chart's counterfactual line). */
    Map<Instant, Double> countedCo2eByHour(Savings.Result result, Instant from, Instant to) {
        Set<String> jobs = result.countedJobs();
        return jobs.isEmpty() ? Map.of() : reader.co2eByHour(jobs, from.truncatedTo(ChronoUnit.HOURS), to);
    }
}
