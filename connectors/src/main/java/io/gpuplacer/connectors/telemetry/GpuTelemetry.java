package io.gpuplacer.connectors.telemetry;

import io.gpuplacer.connectors.signals.SourceException;

import java.time.Instant;

/** Where GPUs report what they do: one reading per GPU (and per MIG instance) over a window ending at an instant. */
public interface GpuTelemetry {

    TelemetrySnapshot read(Instant at) throws SourceException;
}
