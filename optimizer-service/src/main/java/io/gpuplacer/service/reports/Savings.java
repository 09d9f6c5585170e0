package io.gpuplacer.service.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.service.ledger.FirstFitAtArrival.Place;
import io.gpuplacer.service.persistence.JobArrivalRecord;
import io.gpuplacer.service.persistence.SavingsReader.TaskRun;
import io.gpuplacer.service.persistence.SavingsReader.ZoneHour;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What carbon-aware placement saved, against a named counterfactual, for the jobs that started in a report's
 * period and whose arrival the service recorded: each task run for as long as it ran, at its measured (or declared)
 * utilisation, but from the job's earliest start on the node a carbon-agnostic first fit chose on the state the job
 * arrived to; and, beside it, the perfect-foresight bound: the lowest CO2e any start in the job's window on any
 * eligible node could have had, knowing the intensities that came to be. Both are priced by the intensities and
 * prices the ledger recorded for each zone and hour. Pure: the database is read by the caller.
 */
public final class Savings {

    /** Energy, CO2e and cost of one side. */
    public record Figures(double energyKWh, double co2eKg, double costUsd) {
        Figures plus(Figures o) {
            return new Figures(energyKWh + o.energyKWh, co2eKg + o.co2eKg, costUsd + o.costUsd);
        }

        Figures minus(Figures o) {
            return new Figures(energyKWh - o.energyKWh, co2eKg - o.co2eKg, costUsd - o.costUsd);
        }
    }

    static final Figures ZERO = new Figures(0, 0, 0);

    /**
     * The outcome: {@code jobs} counted; {@code notCounted} by reason; {@code achievedShare} of the possible CO2e
     * saving that was achieved, (counterfactual - actual) / (counterfactual - bound), null when nothing could be
     * saved; delays in hours (actual start - counterfactual start); the jobs counted and the counterfactual's CO2e
     * by hour within the period, for a chart.
     */
    public record Result(int jobs, Map<String, Integer> notCounted, Figures actual, Figures counterfactual,
                         Figures perfectForesight, Double achievedShare, double delayHoursTotal,
                         double delayHoursMax, double counterfactualEstimatedShare, Set<String> countedJobs,
                         Map<Instant, Double> counterfactualByHour) {

        public Figures saved() {
            return counterfactual.minus(actual);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Place>> PLACES = new TypeReference<>() {
    };
    /** At most this many start hours are tried for the bound (a horizon is at most 168 hours). */
    private static final int MAX_STARTS = 200;

    private Savings() {
    }

    /** A job's rows and the arrival that preceded them. */
    private record Run(JobArrivalRecord arrival, Instant start, Map<Integer, double[]> tasks, List<TaskRun> rows) {
    }

    /**
     * The savings of the jobs whose first task row starts in [from, to). {@code arrivals}: every arrival up to
     * {@code to}; {@code rows}: those jobs' task rows summed by task; {@code zoneHours}: one per zone and hour.
     */
    public static Result compute(Instant from, Instant to, List<JobArrivalRecord> arrivals, List<TaskRun> rows,
                                 List<ZoneHour> zoneHours) {
        Map<String, List<JobArrivalRecord>> byJob = new HashMap<>();
        arrivals.forEach(a -> byJob.computeIfAbsent(a.job(), j -> new ArrayList<>()).add(a));
        Map<String, List<TaskRun>> rowsByJob = new TreeMap<>();
        rows.forEach(r -> rowsByJob.computeIfAbsent(r.job(), j -> new ArrayList<>()).add(r));
        Intensities intensities = new Intensities(zoneHours);
        Map<String, Integer> notCounted = new TreeMap<>();
        Figures actual = ZERO;
        Figures counterfactual = ZERO;
        Figures bound = ZERO;
        double delayTotal = 0;
        double delayMax = 0;
        double estimatedKg = 0;
        int counted = 0;
        Set<String> countedJobs = new TreeSet<>();
        long firstHour = Math.floorDiv(from.toEpochMilli(), Intensities.HOUR_MS);
        // The counterfactual's CO2e per hour of the period (the chart draws the period only).
        double[] hourly = new double[(int) Math.max(1, Math.min(24L * 400,
                Math.floorDiv(to.toEpochMilli() - 1, Intensities.HOUR_MS) - firstHour + 1))];
        for (Map.Entry<String, List<TaskRun>> e : rowsByJob.entrySet()) {
            Run run = run(e.getValue(), byJob.getOrDefault(e.getKey(), List.of()));
            if (run == null || run.start().isBefore(from) || !run.start().isBefore(to)) {
                continue; // started outside the period, or never seen arriving: not this report's
            }
            List<Place> firstFit = places(run.arrival().firstFit());
            if (firstFit == null) {
                notCounted.merge("noFirstFitPlace", 1, Integer::sum);
                continue;
            }
            if (run.tasks().keySet().stream().anyMatch(t -> t < 0 || t >= firstFit.size())) {
                notCounted.merge("tasksUnlikeArrival", 1, Integer::sum);
                continue;
            }
            Instant cfStart = run.arrival().earliestStart();
            Side cf = new Side(hourly, firstHour);
            for (Map.Entry<Integer, double[]> t : run.tasks().entrySet()) {
                if (!cf.add(intensities, firstFit.get(t.getKey()), cfStart, t.getValue()[0], t.getValue()[1])) {
                    cf = null;
                    break;
                }
            }
            if (cf == null) {
                notCounted.merge("noIntensityRecorded", 1, Integer::sum);
                continue;
            }
            Figures best = bestStart(intensities, run, firstFit, places(run.arrival().bound()), cf.figures());
            counted++;
            countedJobs.add(e.getKey());
            Figures ran = ZERO;
            for (TaskRun r : run.rows()) {
                ran = ran.plus(new Figures(r.energyKwh(), r.co2eKg(), r.costUsd()));
            }
            actual = actual.plus(ran);
            counterfactual = counterfactual.plus(cf.figures());
            bound = bound.plus(best);
            estimatedKg += cf.estimatedKg;
            double delay = Duration.between(cfStart, run.start()).toMillis() / 3_600_000.0;
            delayTotal += delay;
            delayMax = Math.max(delayMax, delay);
        }
        double possible = counterfactual.co2eKg() - bound.co2eKg();
        Double achieved = possible > 1e-9 ? (counterfactual.co2eKg() - actual.co2eKg()) / possible : null;
        return new Result(counted, notCounted, actual, counterfactual, bound, achieved, delayTotal, delayMax,
                counterfactual.co2eKg() > 0 ? estimatedKg / counterfactual.co2eKg() : 0, countedJobs,
                byHour(hourly, firstHour));
    }

    /** The job's tasks (hours run, mean utilisation) and the latest arrival at or before its first row. */
    private static Run run(List<TaskRun> rows, List<JobArrivalRecord> arrivals) {
        Instant start = rows.stream().map(TaskRun::start).min(Comparator.naturalOrder()).orElseThrow();
        JobArrivalRecord arrival = arrivals.stream().filter(a -> !a.arrivedAt().isAfter(start))
                .max(Comparator.comparing(JobArrivalRecord::arrivedAt)).orElse(null);
        if (arrival == null) {
            return null;
        }
        Map<Integer, double[]> tasks = new TreeMap<>();
        for (TaskRun r : rows) {
            double[] t = tasks.computeIfAbsent(r.task(), k -> new double[2]);
            t[0] += r.hours();
            t[1] += r.utilizationHours();
        }
        tasks.values().forEach(t -> t[1] = t[0] > 0 ? t[1] / t[0] : 0);
        return new Run(arrival, start, tasks, rows);
    }

    /**
     * The perfect-foresight bound: over the counterfactual start and every whole hour up to the job's latest start,
     * each task on its least-emitting place (the first fit's node among them), the start with the least CO2e.
     */
    private static Figures bestStart(Intensities intensities, Run run, List<Place> firstFit, List<Place> bound,
                                     Figures counterfactual) {
        // Each task's candidates: the least-drawing node per zone, and its own first-fit node.
        Map<Integer, List<Place>> options = new TreeMap<>();
        for (Integer task : run.tasks().keySet()) {
            List<Place> list = new ArrayList<>(bound == null ? List.of() : bound);
            list.add(firstFit.get(task));
            options.put(task, list);
        }
        Figures best = counterfactual;
        Instant cfStart = run.arrival().earliestStart();
        Instant s = cfStart.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS); // cfStart itself: below
        for (int n = 0; n < MAX_STARTS && !s.isAfter(run.arrival().latestStart()); n++, s = s.plus(1,
                ChronoUnit.HOURS)) {
            Figures total = leastAt(intensities, run, options, s);
            if (total != null && total.co2eKg() < best.co2eKg()) {
                best = total;
            }
        }
        Figures atCfStart = leastAt(intensities, run, options, cfStart);
        return atCfStart != null && atCfStart.co2eKg() < best.co2eKg() ? atCfStart : best;
    }

    private static Figures leastAt(Intensities intensities, Run run, Map<Integer, List<Place>> options,
                                   Instant start) {
        boolean wholeHour = start.toEpochMilli() % Intensities.HOUR_MS == 0;
        Figures total = ZERO;
        for (Map.Entry<Integer, double[]> t : run.tasks().entrySet()) {
            Figures least = null;
            for (Place p : options.get(t.getKey())) {
                Figures f = wholeHour ? fromWholeHour(intensities, p, start, t.getValue()[0], t.getValue()[1])
                        : priced(intensities, p, start, t.getValue()[0], t.getValue()[1]);
                if (f != null && (least == null || f.co2eKg() < least.co2eKg())) {
                    least = f;
                }
            }
            if (least == null) {
                return null;
            }
            total = total.plus(least);
        }
        return total;
    }

    private static Figures priced(Intensities intensities, Place p, Instant start, double hours, double utilization) {
        Side one = new Side(null, 0);
        return one.add(intensities, p, start, hours, utilization) ? one.figures() : null;
    }

    /** The same as {@link #priced} for a start on the hour, from the zone's running sums. */
    private static Figures fromWholeHour(Intensities intensities, Place p, Instant start, double hours,
                                         double utilization) {
        Intensities.Series zone = intensities.of(p.zone());
        if (zone == null) {
            return null;
        }
        long hour = start.toEpochMilli() / Intensities.HOUR_MS;
        double perHour = p.kWh(utilization);
        return new Figures(perHour * hours, perHour * zone.gramsOver(hour, hours) / 1000,
                perHour * zone.usdOver(hour, hours) / 1000 + p.c() * hours);
    }

    /** One side's sums, hour by hour, under the ledger's energy model (section 8) and recorded intensities. */
    private static final class Side {
        double kWh;
        double kg;
        double usd;
        double estimatedKg;
        /** The CO2e by hour from {@code firstHour} (epoch hours), for the chart's line; null: not kept. */
        private final double[] byHour;
        private final long firstHour;

        Side(double[] byHour, long firstHour) {
            this.byHour = byHour;
            this.firstHour = firstHour;
        }

        /** A task on {@code place} from {@code start} for {@code hours} at {@code utilization}; false: unpriced. */
        boolean add(Intensities intensities, Place place, Instant start, double hours, double utilization) {
            Intensities.Series zone = intensities.of(place.zone());
            if (zone == null) {
                return false;
            }
            double perHour = place.kWh(utilization);
            long end = start.toEpochMilli() + Math.round(hours * Intensities.HOUR_MS);
            for (long a = start.toEpochMilli(); a < end; ) {
                long hour = Math.floorDiv(a, Intensities.HOUR_MS);
                long b = Math.min((hour + 1) * Intensities.HOUR_MS, end);
                double part = (double) (b - a) / Intensities.HOUR_MS;
                double e = perHour * part;
                double co2 = e * zone.gramsPerKwh(hour) / 1000;
                kWh += e;
                kg += co2;
                usd += e * zone.usdPerMwh(hour) / 1000 + place.c() * part;
                estimatedKg += zone.estimated(hour) ? co2 : 0;
                if (byHour != null && hour >= firstHour && hour - firstHour < byHour.length) {
                    byHour[(int) (hour - firstHour)] += co2;
                }
                a = b;
            }
            return true;
        }

        Figures figures() {
            return new Figures(kWh, kg, usd);
        }
    }

    private static Map<Instant, Double> byHour(double[] hourly, long firstHour) {
        Map<Instant, Double> out = new TreeMap<>();
        for (int i = 0; i < hourly.length; i++) {
            if (hourly[i] != 0) {
                out.put(Instant.ofEpochMilli((firstHour + i) * Intensities.HOUR_MS), hourly[i]);
            }
        }
        return out;
    }

    private static List<Place> places(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, PLACES);
        } catch (IOException e) {
            throw new UncheckedIOException("a recorded arrival does not read", e);
        }
    }
}
