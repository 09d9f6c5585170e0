package io.gpuplacer.service.reports;

import io.gpuplacer.service.persistence.SavingsReader.ZoneHour;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The zones' intensity and price per hour as the ledger recorded them, for pricing work that did not run there
 * and then. An hour the ledger did not record takes the nearest recorded hour of its zone (the one before, else
 * the one after), marked estimated; a zone never recorded has no series. Held as one array per zone: the bound
 * prices every start hour of every job's window.
 */
final class Intensities {

    static final long HOUR_MS = 3_600_000L;

    /** One zone's hours from {@code first} (epoch hours), every hour filled. */
    static final class Series {
        private final long first;
        private final double[] grams;
        private final double[] usd;
        private final boolean[] estimated;

        /** Running sums: {@code gramsSum[i]} is the sum of the first i hours (the bound prices many windows). */
        private final double[] gramsSum;
        private final double[] usdSum;

        private Series(long first, double[] grams, double[] usd, boolean[] estimated) {
            this.first = first;
            this.grams = grams;
            this.usd = usd;
            this.estimated = estimated;
            this.gramsSum = runningSum(grams);
            this.usdSum = runningSum(usd);
        }

        private static double[] runningSum(double[] v) {
            double[] out = new double[v.length + 1];
            for (int i = 0; i < v.length; i++) {
                out[i + 1] = out[i] + v[i];
            }
            return out;
        }

        /** g CO2e/kWh summed over {@code hours} from the start of epoch hour {@code from} (the last one in part). */
        double gramsOver(long from, double hours) {
            return over(grams, gramsSum, from, hours);
        }

        /** USD/MWh summed the same way. */
        double usdOver(long from, double hours) {
            return over(usd, usdSum, from, hours);
        }

        private double over(double[] v, double[] sum, long from, double hours) {
            long whole = (long) Math.floor(hours);
            double total = range(v, sum, from, from + whole);
            double rest = hours - whole;
            return rest > 0 ? total + rest * v[index(from + whole)] : total;
        }

        /** The sum over epoch hours [a, b): hours outside those recorded take the nearest recorded hour's value. */
        private double range(double[] v, double[] sum, long a, long b) {
            long last = first + v.length; // exclusive
            double total = 0;
            if (a < first) {
                total += (Math.min(b, first) - a) * v[0];
            }
            if (b > last) {
                total += (b - Math.max(a, last)) * v[v.length - 1];
            }
            long lo = Math.max(a, first);
            long hi = Math.min(b, last);
            return hi > lo ? total + sum[(int) (hi - first)] - sum[(int) (lo - first)] : total;
        }

        private int index(long hour) {
            return (int) Math.max(0, Math.min(grams.length - 1, hour - first));
        }

        double gramsPerKwh(long hour) {
            return grams[index(hour)];
        }

        double usdPerMwh(long hour) {
            return usd[index(hour)];
        }

        /** Estimated: marked so when recorded, filled from a neighbour, or outside the hours recorded. */
        boolean estimated(long hour) {
            return hour < first || hour - first >= grams.length || estimated[index(hour)];
        }
    }

    private final Map<String, Series> byZone = new HashMap<>();

    /** One value per zone and hour (the last recorded, where intervals priced one hour twice). */
    Intensities(List<ZoneHour> hours) {
        Map<String, List<ZoneHour>> grouped = new HashMap<>();
        hours.forEach(h -> grouped.computeIfAbsent(h.zone(), z -> new ArrayList<>()).add(h));
        grouped.forEach((zone, list) -> {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (ZoneHour h : list) {
                long e = Math.floorDiv(h.hour().toEpochMilli(), HOUR_MS);
                first = Math.min(first, e);
                last = Math.max(last, e);
            }
            int n = (int) (last - first + 1);
            double[] grams = new double[n];
            double[] usd = new double[n];
            boolean[] estimated = new boolean[n];
            boolean[] known = new boolean[n];
            for (ZoneHour h : list) {
                int i = (int) (Math.floorDiv(h.hour().toEpochMilli(), HOUR_MS) - first);
                grams[i] = h.gramsPerKwh();
                usd[i] = h.usdPerMwh();
                estimated[i] = h.estimated();
                known[i] = true;
            }
            for (int i = 1; i < n; i++) { // the first hour is recorded: fill each gap from the hour before
                if (!known[i]) {
                    grams[i] = grams[i - 1];
                    usd[i] = usd[i - 1];
                    estimated[i] = true;
                }
            }
            byZone.put(zone, new Series(first, grams, usd, estimated));
        });
    }

    /** The zone's series, or null when the ledger never recorded the zone. */
    Series of(String zone) {
        return byZone.get(zone);
    }
}
