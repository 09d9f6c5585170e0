package io.gpuplacer.connectors.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The readings of every GPU over {@code window} ending {@code at}; {@code utilizationMetric} names what was used. */
public record TelemetrySnapshot(Instant at, Duration window, String utilizationMetric, List<GpuReading> gpus) {
}
