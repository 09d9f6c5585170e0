package io.gpuplacer.service.capacity;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which series of the history are forecast: each zone and model where demand stays in its zone, else each model
 * over all zones (zone {@value #ANY}), summed hour by hour.
 */
final class ForecastSeries {

    static final String ANY = "any";

    private ForecastSeries() {
    }

    /** The series to forecast: per zone and model where zones are pinned, else per model over all zones. */
    static Map<DemandHistory.Key, DemandHistory.Series> of(DemandHistory history, boolean pinZones) {
        if (pinZones) {
            return history.series();
        }
        Map<String, List<DemandHistory.Series>> byModel = new TreeMap<>();
        history.series().values().forEach(s -> byModel.computeIfAbsent(s.key().gpuModel(),
                k -> new ArrayList<>()).add(s));
        Map<DemandHistory.Key, DemandHistory.Series> out = new TreeMap<>();
        byModel.forEach((model, list) -> {
            DemandHistory.Key key = new DemandHistory.Key(ANY, model);
            out.put(key, merged(key, list));
        });
        return out;
    }

    /** The series summed hour by hour (an hour no series has stays missing). */
    static DemandHistory.Series merged(DemandHistory.Key key, List<DemandHistory.Series> list) {
        Instant start = list.stream().map(DemandHistory.Series::start).min(Comparator.naturalOrder()).orElseThrow();
        int hours = list.stream().mapToInt(s -> (int) ChronoUnit.HOURS.between(start, s.start()) + s.hours()).max()
                .orElse(0);
        double[] used = new double[hours];
        double[] pending = new double[hours];
        java.util.Arrays.fill(used, Double.NaN);
        java.util.Arrays.fill(pending, Double.NaN);
        for (DemandHistory.Series s : list) {
            int offset = (int) ChronoUnit.HOURS.between(start, s.start());
            for (int h = 0; h < s.hours(); h++) {
                if (!Double.isNaN(s.used()[h])) {
                    used[offset + h] = (Double.isNaN(used[offset + h]) ? 0 : used[offset + h]) + s.used()[h];
                    pending[offset + h] = (Double.isNaN(pending[offset + h]) ? 0 : pending[offset + h])
                            + s.pending()[h];
                }
            }
        }
        return new DemandHistory.Series(key, start, used, pending);
    }

    /** All the demand of a series (missing hours count 0). */
    static double total(DemandHistory.Series s) {
        double sum = 0;
        for (int h = 0; h < s.hours(); h++) {
            double d = s.demand(h);
            sum += Double.isNaN(d) ? 0 : d;
        }
        return sum;
    }
}
