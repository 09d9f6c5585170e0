package io.gpuplacer.service.telemetry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each running task's measured figures averaged over the readings of each clock hour, for the last
 * {@value #HOURS} hours: what the emission ledger prices an hour with, rather than the reading in force when the
 * snapshot that closes the interval arrives. Sums per task and hour, so that its size does not grow with the
 * number of readings.
 */
final class HourlyTelemetry {

    static final int HOURS = 4;

    /** Per task ("job#task"): sum of utilisation, readings, sum of watts, readings. */
    private final TreeMap<Instant, Map<String, double[]>> byHour = new TreeMap<>();

    /** Adds one reading, taken at {@code at}. */
    synchronized void record(Instant at, Map<String, Double> utilization, Map<String, Double> watts) {
        Instant hour = at.truncatedTo(ChronoUnit.HOURS);
        Map<String, double[]> sums = byHour.computeIfAbsent(hour, h -> new HashMap<>());
        utilization.forEach((task, u) -> add(sums, task, 0, u));
        watts.forEach((task, w) -> add(sums, task, 2, w));
        while (byHour.size() > HOURS) {
            byHour.pollFirstEntry();
        }
    }

    private static void add(Map<String, double[]> sums, String task, int at, double value) {
        double[] s = sums.computeIfAbsent(task, t -> new double[4]);
        s[at] += value;
        s[at + 1]++;
    }

    /** The mean utilisation of each task read in that hour; null when nothing was read in it. */
    synchronized Map<String, Double> utilization(Instant hour) {
        return means(hour, 0);
    }

    /** The mean watts of each task read in that hour; null when nothing was read in it. */
    synchronized Map<String, Double> watts(Instant hour) {
        return means(hour, 2);
    }

    private Map<String, Double> means(Instant hour, int at) {
        Map<String, double[]> sums = byHour.get(hour.truncatedTo(ChronoUnit.HOURS));
        if (sums == null) {
            return null;
        }
        Map<String, Double> out = new HashMap<>();
        sums.forEach((task, s) -> {
            if (s[at + 1] > 0) {
                out.put(task, s[at] / s[at + 1]);
            }
        });
        return out;
    }
}
