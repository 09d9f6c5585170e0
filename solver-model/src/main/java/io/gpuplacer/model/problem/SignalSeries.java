package io.gpuplacer.model.problem;

/**
 * Carbon intensity (g/kWh) and power price (USD/MWh) of one zone for every slot of the horizon, already
 * resolved by the rule of interchange-v1 section 3 (last point at or before the slot start). The prefix sums
 * let a task's cost over [s, e) be read in O(1).
 */
public record SignalSeries(double[] carbonGPerKWh, double[] priceUsdPerMWh, boolean hasCarbon, boolean hasPrice,
                           double[] carbonPrefix, double[] pricePrefix) {

    public static SignalSeries of(double[] carbon, double[] price, boolean hasCarbon, boolean hasPrice) {
        return new SignalSeries(carbon, price, hasCarbon, hasPrice, prefix(carbon), prefix(price));
    }

    /** A series of zeros (a zone without signals). */
    public static SignalSeries zero(int horizon) {
        return of(new double[horizon], new double[horizon], false, false);
    }

    /** Sum of carbon intensity over slots [s, e). */
    public double carbonSum(int s, int e) {
        return carbonPrefix[e] - carbonPrefix[s];
    }

    /** Sum of price over slots [s, e). */
    public double priceSum(int s, int e) {
        return pricePrefix[e] - pricePrefix[s];
    }

    private static double[] prefix(double[] values) {
        double[] out = new double[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            out[i + 1] = out[i] + values[i];
        }
        return out;
    }
}
