package io.gpuplacer.service.capacity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series' demand ahead: a straight-line trend fitted (least squares) to its weekly peaks (the p95 of the hourly
 * demand in each week) and one to its weekly means; the fit's error (root mean square of the residuals, GPUs). Its
 * hourly shape ahead is the history's own, hour by hour in the same hour of the week, as a ratio to the mean trend:
 * bursts and the weekly rhythm carry over, scaled to the trend.
 */
public final class DemandForecast {

    static final int WEEK = 168;
    /** A week counts when at least half its hours have a row. */
    static final int MIN_HOURS = WEEK / 2;

    /** {@code value = intercept + slope * week}, weeks counted from the series' start (week 0 is its first). */
    public record Fit(double intercept, double slopePerWeek, double rmse, int weeks) {
        public double at(double week) {
            return intercept + slopePerWeek * week;
        }
    }

    private final DemandHistory.Series series;
    private final int[] weeks;
    private final double[] weeklyPeaks;
    private final double[] weeklyMeans;
    private final Fit peakFit;
    private final Fit meanFit;
    private final double[] ratios;

    public DemandForecast(DemandHistory.Series series) {
        this.series = series;
        int weeks = series.hours() / WEEK; // whole weeks only: a partial last week would bias its peak down
        List<double[]> kept = new ArrayList<>(); // week index, p95, mean
        for (int w = 0; w < Math.max(1, weeks); w++) {
            int from = w * WEEK;
            int to = Math.min(series.hours(), from + WEEK);
            double[] values = present(from, to);
            if (values.length >= Math.min(MIN_HOURS, series.hours())) {
                Arrays.sort(values);
                kept.add(new double[] {w, p95(values), Arrays.stream(values).average().orElse(0)});
            }
        }
        this.weeks = kept.stream().mapToInt(k -> (int) k[0]).toArray();
        this.weeklyPeaks = kept.stream().mapToDouble(k -> k[1]).toArray();
        this.weeklyMeans = kept.stream().mapToDouble(k -> k[2]).toArray();
        double[] at = kept.stream().mapToDouble(k -> k[0] + 0.5).toArray(); // a week's value stands at its middle
        this.peakFit = fit(at, weeklyPeaks);
        this.meanFit = fit(at, weeklyMeans);
        int shapeHours = weeks >= 1 ? weeks * WEEK : series.hours();
        this.ratios = new double[shapeHours];
        for (int h = 0; h < shapeHours; h++) {
            double mean = meanFit.at(h / (double) WEEK);
            double d = series.demand(h);
            ratios[h] = Double.isNaN(d) ? 1 : mean > 1e-9 ? d / mean : 1;
        }
    }

    public DemandHistory.Series series() {
        return series;
    }

    /** The index of each week kept (at least half its hours present), from the series' start. */
    public int[] weeks() {
        return weeks.clone();
    }

    public double[] weeklyPeaks() {
        return weeklyPeaks.clone();
    }

    public double[] weeklyMeans() {
        return weeklyMeans.clone();
    }

    public Fit peakFit() {
        return peakFit;
    }

    public Fit meanFit() {
        return meanFit;
    }

    /** Weeks from the series' start to the instant (fractional). */
    public double weekOf(Instant at) {
        return Duration.between(series.start(), at).toMinutes() / (60.0 * WEEK);
    }

    /** The peak (p95) demand the trend gives for the week around the instant, at least 0. */
    public double peakAt(Instant at) {
        return Math.max(0, peakFit.at(weekOf(at)));
    }

    /** The mean demand the trend gives for the week around the instant, at least 0. */
    public double meanAt(Instant at) {
        return Math.max(0, meanFit.at(weekOf(at)));
    }

    /**
     * The hourly demand ahead, {@code hours} from {@code from} (on a whole hour): the mean trend times the history's
     * ratio in the same hour of its weekly cycle.
     */
    public double[] hourly(Instant from, int hours) {
        double[] out = new double[hours];
        long offset = Duration.between(series.start(), from).toHours();
        for (int h = 0; h < hours; h++) {
            long since = offset + h;
            int i = (int) Math.floorMod(since, (long) ratios.length);
            out[h] = Math.max(0, meanFit.at(since / (double) WEEK) * ratios[i]);
        }
        return out;
    }

    private double[] present(int from, int to) {
        double[] out = new double[to - from];
        int n = 0;
        for (int h = from; h < to; h++) {
            double d = series.demand(h);
            if (!Double.isNaN(d)) {
                out[n++] = d;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The p95 of sorted values: the value 95 % of the hours stay at or below (nearest rank). */
    static double p95(double[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(0.95 * sorted.length) - 1)];
    }

    /** Least squares; one point (or none) is a flat line. */
    static Fit fit(double[] x, double[] y) {
        int n = x.length;
        if (n == 0) {
            return new Fit(0, 0, 0, 0);
        }
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        double slope = sxx > 0 ? sxy / sxx : 0;
        double intercept = my - slope * mx;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (intercept + slope * x[i]);
            sse += r * r;
        }
        return new Fit(intercept, slope, Math.sqrt(sse / n), n);
    }
}
