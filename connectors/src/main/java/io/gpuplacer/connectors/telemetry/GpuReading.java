package io.gpuplacer.connectors.telemetry;

/**
 * What one GPU, or one MIG instance of it ({@code migInstance} not null), reported over the window. A figure the
 * exporter did not report is null. Device-wide figures (power, energy, errors) are on the GPU's reading only.
 *
 * @param host               the exporter's {@code Hostname} (or {@code hostname}) label: the node
 * @param utilization        mean busy share 0..1 over the window
 * @param peakUtilization    the highest utilisation over the idle window: below the idle threshold means idle
 * @param powerWatts         mean power over the window
 * @param energyJoules       energy over the window, from the mJ counter (counter resets handled)
 * @param flaggedXid         an XID error of the configured list seen in the window, else null
 * @param eccDoubleBitErrors volatile double-bit ECC errors (since the driver last loaded)
 */
public record GpuReading(String host, int gpu, String uuid, Integer migInstance, String pod, String namespace,
                         Double utilization, Double peakUtilization, Double powerWatts, Double energyJoules,
                         Integer flaggedXid, Double eccDoubleBitErrors) {
}
