package io.gpuplacer.model.problem;

/**
 * Carbon intensity (g/kWh) and power price (USD/MWh) of one zone for every slot of the horizon, already
 * resolved by the rule of interchange-v1 section 3 (last point at or before the slot start), and extended past
 * the horizon by the rule of section 6 (v1.1): hour t >= horizon takes the value of hour t - 24 until that falls
 * inside the horizon, or the last hour's value when the horizon is shorter than 24 hours. So a slot past the
 * horizon repeats slot {@code horizon - period + (t - horizon) mod period}, with a period of 24 (or 1). The
 * prefix sums let a task's cost over any [s, e) be read in O(1), however far past the horizon e lies.
 *
 * <p>{@code estimated} marks the slots of the horizon whose carbon or price rests on a point its source marked
 * estimated (a forecast, a provider's estimate, or hours the service filled where a source had none).
 */
public record SignalSeries(double[] carbonGPerKWh, double[] priceUsdPerMWh, boolean hasCarbon, boolean hasPrice,
                           double[] carbonPrefix, double[] pricePrefix, boolean[] estimated, int[] estimatedPrefix) {

    /** The period of the extension past the horizon, in hours. */
    public static final int EXTENSION_PERIOD = 24;

    public static SignalSeries of(double[] carbon, double[] price, boolean hasCarbon, boolean hasPrice) {
        return of(carbon, price, new boolean[carbon.length], hasCarbon, hasPrice);
    }

    public static SignalSeries of(double[] carbon, double[] price, boolean[] estimated, boolean hasCarbon,
                                  boolean hasPrice) {
        if (carbon.length != price.length || carbon.length != estimated.length || carbon.length == 0) {
            throw new IllegalArgumentException("carbon and price need one value per slot of the horizon");
        }
        int[] estimatedPrefix = new int[estimated.length + 1];
        for (int t = 0; t < estimated.length; t++) {
            estimatedPrefix[t + 1] = estimatedPrefix[t] + (estimated[t] ? 1 : 0);
        }
        return new SignalSeries(carbon, price, hasCarbon, hasPrice, prefix(carbon), prefix(price), estimated,
                estimatedPrefix);
    }

    /** How many slots of [s, e) inside the horizon rest on an estimated point (those past it are counted apart). */
    public int estimatedInHorizon(int s, int e) {
        int from = Math.min(Math.max(s, 0), horizon());
        int to = Math.min(Math.max(e, from), horizon());
        return estimatedPrefix[to] - estimatedPrefix[from];
    }

    /** A series of zeros (a zone without signals). */
    public static SignalSeries zero(int horizon) {
        return of(new double[horizon], new double[horizon], false, false);
    }

    /**
     * What of the hours [s, e) rests on estimates, for an explanation: e.g. " (3 h on estimated signals; 5 h past
     * the 48-hour horizon, estimated by repeating its last 24 hours)", or "" when every hour is measured.
     */
    public String estimateNote(int s, int e) {
        int inside = estimatedInHorizon(s, e);
        int past = Math.min(e - s, e - horizon());
        if (inside == 0 && past <= 0) {
            return "";
        }
        String insideText = inside == 0 ? "" : inside + " h on estimated signals";
        String pastText = past <= 0 ? "" : past + " h past the " + horizon()
                + "-hour horizon, estimated by repeating its last 24 hours";
        return " (" + insideText + (inside > 0 && past > 0 ? "; " : "") + pastText + ")";
    }

    public int horizon() {
        return carbonGPerKWh.length;
    }

    /** Carbon intensity in slot t (t >= 0), extended past the horizon. */
    public double carbonAt(int t) {
        return carbonGPerKWh[inHorizon(t)];
    }

    /** Power price in slot t (t >= 0), extended past the horizon. */
    public double priceAt(int t) {
        return priceUsdPerMWh[inHorizon(t)];
    }

    /** Sum of carbon intensity over slots [s, e), 0 <= s <= e, extended past the horizon. */
    public double carbonSum(int s, int e) {
        return cumulative(carbonPrefix, e) - cumulative(carbonPrefix, s);
    }

    /** Sum of price over slots [s, e), 0 <= s <= e, extended past the horizon. */
    public double priceSum(int s, int e) {
        return cumulative(pricePrefix, e) - cumulative(pricePrefix, s);
    }

    /** The slot inside the horizon whose value slot t takes. */
    public int inHorizon(int t) {
        int horizon = horizon();
        if (t < horizon) {
            return t;
        }
        int period = period();
        return horizon - period + (t - horizon) % period;
    }

    private int period() {
        return horizon() >= EXTENSION_PERIOD ? EXTENSION_PERIOD : 1;
    }

    /** Sum of the extended series over slots [0, t). */
    private double cumulative(double[] prefix, int t) {
        int horizon = horizon();
        if (t <= horizon) {
            return prefix[t];
        }
        int period = period();
        long past = (long) t - horizon;
        int first = horizon - period;
        double periodSum = prefix[horizon] - prefix[first];
        int rest = (int) (past % period);
        return prefix[horizon] + (past / period) * periodSum + (prefix[first + rest] - prefix[first]);
    }

    private static double[] prefix(double[] values) {
        double[] out = new double[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            out[i + 1] = out[i] + values[i];
        }
        return out;
    }
}
