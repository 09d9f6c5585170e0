package io.gpuplacer.model.problem;

/**
 * Carbon intensity (g/kWh) and power price (USD/MWh) of one zone for every slot of the horizon, already
 * resolved by the rule of interchange-v1 section 3 (last point at or before the slot start).
 */
public record SignalSeries(Zone zone, double[] carbonGPerKWh, double[] priceUsdPerMWh, boolean hasCarbon,
                           boolean hasPrice) {
}
