package io.gpuplacer.connectors.signals;

import java.time.Instant;

/**
 * One hour of a signal as a provider gave it: the hour it starts, the value (g CO2e/kWh for carbon, USD/MWh for
 * price), and the provider's flags, so that a report can cite exactly what a decision used.
 *
 * @param estimated          the provider marked it estimated, or it is a forecast rather than a measurement
 * @param emissionFactorType e.g. {@code lifecycle}, {@code direct}, {@code average}, {@code marginal}; null when the
 *                           provider does not say
 */
public record SignalPoint(Instant hour, double value, boolean estimated, String emissionFactorType,
                          String estimationMethod) {
}
